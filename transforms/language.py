"""Language of an article body: ISO 639-1 code or None.

Uses py3langid (a fast naive-Bayes byte n-gram model shipped inside the package, no
download at run time; trafilatura uses it too when installed). The identifier is built
once per process, by `load()` or on first use, and classifies an 800-word body in ~2 ms
(only the first SAMPLE_CHARS characters are read).  Unpacking the shipped model (LZMA)
costs each worker ~0.4 s CPU, so the unpacked identifier (~70 MB) is kept in the on-disk
cache (pipeline/cache.py) and read back in ~0.07 s.

None means "can't tell" (empty, under MIN_LETTERS letters, digits/symbols only, or no
language at MIN_CONFIDENCE); the pipeline should still run English NER on those and
skip it only for a detected non-English code.
"""
from __future__ import annotations

import threading

MIN_LETTERS = 10          # fewer letters than this: too short to tell -> None
MIN_CONFIDENCE = 0.5      # normalized probability of the best language
SAMPLE_CHARS = 4000       # the head of a long body is plenty and keeps it fast

# py3langid labels that are not ISO 639-1: the macrolanguage's 639-1 code where one
# exists; the rest (and "zxx", no linguistic content) give None.
_TO_639_1 = {"arz": "ar", "ary": "ar", "yue": "zh", "wuu": "zh", "uzs": "uz",
             "sdh": "ku", "gug": "gn"}

_identifier = None
_lock = threading.Lock()


def load() -> None:
    """Build the identifier now (call it in DoFn.setup; otherwise the first
    detect_language call does it)."""
    _get_identifier()


def _get_identifier():
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                _identifier = _cached_identifier()
    return _identifier


def _cached_identifier():
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    from pipeline.cache import cached, dist_version, file_digest
    key = (dist_version("py3langid"), file_digest(MODEL_DIR / MODEL_FILE), file_digest(__file__))
    return cached("langid", key, lambda: LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True))


def _sample(text: str) -> str:
    if len(text) <= SAMPLE_CHARS:
        return text
    cut = text.rfind(" ", 0, SAMPLE_CHARS)
    return text[:cut if cut > SAMPLE_CHARS // 2 else SAMPLE_CHARS]


def detect_language(text: str | None) -> str | None:
    """ISO 639-1 code of `text` ("en", "de", "zh", ...), or None when the text is too
    short, has no linguistic content, or no language is clearly ahead."""
    if not text:
        return None
    sample = _sample(text)
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return None
    lang, confidence = _get_identifier().classify(sample)
    if confidence < MIN_CONFIDENCE:
        return None
    lang = _TO_639_1.get(lang, lang)
    return lang if len(lang) == 2 else None

"""Language detection of article bodies (py3langid, ISO 639-1)."""
from __future__ import annotations

import time

import pytest

from transforms import language
from transforms.language import detect_language

ENGLISH = ("The city council voted on Tuesday to close the old bridge for repairs, "
           "after engineers warned that cracks in its supports had grown over the winter. "
           "Traffic will be sent through the town centre until the work is finished.")


def test_an_english_body_is_en():
    assert detect_language(ENGLISH) == "en"


@pytest.mark.parametrize("code, text", [
    ("de", "Der Stadtrat hat am Dienstag beschlossen, die alte Brücke für Reparaturen zu sperren."),
    ("fr", "Le conseil municipal a voté mardi la fermeture du vieux pont pour des travaux."),
    ("es", "El ayuntamiento votó el martes cerrar el viejo puente para hacer reparaciones."),
    ("ru", "Городской совет во вторник проголосовал за закрытие старого моста на ремонт."),
    ("uk", "Міська рада у вівторок проголосувала за закриття старого мосту на ремонт."),
    ("zh", "市议会周二投票决定关闭这座旧桥进行维修，工程师警告桥墩的裂缝在冬天变大了。"),
])
def test_a_non_english_body_gets_its_iso_639_1_code(code, text):
    assert detect_language(text) == code


@pytest.mark.parametrize("text", ["", None, "   ", "OK", "Hello world", "12345 67890 !!!"])
def test_text_too_short_or_without_words_is_none(text):
    assert detect_language(text) is None


def test_a_long_body_is_detected_quickly_from_its_head():
    detect_language(ENGLISH)                       # identifier built once
    body = "\n\n".join([ENGLISH] * 500)            # ~120k characters
    start = time.perf_counter()
    assert detect_language(body) == "en"
    assert time.perf_counter() - start < 0.1


def test_the_code_is_always_two_letters_or_none():
    for text in [ENGLISH, "Het kabinet heeft woensdag besloten de maatregelen te verlengen."]:
        code = detect_language(text)
        assert code is None or len(code) == 2


def test_load_builds_the_identifier_up_front():
    language.load()
    assert language._identifier is not None

"""General furniture detection: lines no catalogue entry claims, judged on features that
do not depend on the publisher.

The catalogue (anatomy_catalogue.yaml) is precise but only knows the phrasings it was
written for. This module scores each remaining line on its shape -- length, sentence
shape, terminal punctuation, stopword density, title-case ratio, list and link markers
-- and decides with its context: position (before the first / after the last sentence
of the story), the class of its neighbours (a run of headline-shaped lines is a list
of other stories, and so is the label line above it), and repetition (a non-sentence
line that recurs in the article, or across articles of the same source).

One rule is never broken: a line that reads as a sentence of the story and occurs once
is never removed here (only a catalogue entry or cross-article repetition removes it).

Pure code, no Beam. `classify_lines` returns, per line, None (keep) or
(reason, score): the reason is a short stable code that `newsbeam explain` prints.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# English function words (jusText's stoplist is larger; a short list is enough to tell
# a sentence from a label, and keeps this module free of a data file).
STOPWORDS = frozenset("""
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers him his how i if in into is
    it its itself just me more most my no nor not now of off on once only or other our
    ours out over own same she should so some such than that the their theirs them then
    there these they this those through to too under until up very was we were what when
    where which while who whom why will with would you your yours said says say told
    according new last next first one two three year years week day days per
    """.split())
_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
_TERMINAL = re.compile(r"[.!?…。！？][\"'’”)\]」』]*$|[\"”]$|(?<=\w):$")
_INITIALS = re.compile(r"[a-z]{1,4}(?:/[a-z]{1,4}){1,6}")        # wire editors' initials "lf/ama/jj"
_NUMERIC = re.compile(r"[\d\s.,:%$€£¥+\-–—()/|]+")                # a table row of figures

# Words and phrases a page uses about itself and its reader: sign-up, sharing, comments,
# ads and disclosures, rights, audio players, apps (data: transforms/page_talk.yaml). One
# hit is no verdict; it is evidence, weighed with the line's shape and position.
def _page_talk_data() -> dict:
    import yaml
    return yaml.load(Path(__file__).with_name("page_talk.yaml").read_text(encoding="utf-8"),
                     Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}


_TALK_DATA = _page_talk_data()


def _page_talk(data=_TALK_DATA):
    words = frozenset(str(data.get("words") or "").split())
    phrases = {str(k).casefold(): float(v) for k, v in (data.get("phrases") or {}).items()}
    rx = re.compile(r"(?i)\b(?:" + "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)) + r")\b") \
        if phrases else None
    notes = "|".join(re.escape(w) for w in str(data.get("table_notes") or "").split())
    specs = [w.strip() for w in str(data.get("spec_labels") or "").split("|") if w.strip()]
    spec_rx = re.compile(r"(?i)(?:^|\s)(" + "|".join(re.escape(w).replace(r"\ ", r"\s+")
                                                     for w in sorted(specs, key=len, reverse=True)) + r")\s*:\s*\S") \
        if specs else None
    verbs = [w.strip() for w in str(data.get("reader_verbs") or "").split("|") if w.strip()]
    # an instruction opens the line or a sentence of it, or follows a lead-in ("For more, follow")
    verb_rx = re.compile(r"(?i)(?:^|[.!?,]\s+)(?:please\s+)?(?:" + "|".join(
        re.escape(w).replace(r"\ ", r"\s+") for w in sorted(verbs, key=len, reverse=True)) + r")\b") if verbs else None
    return words, phrases, rx, re.compile(rf"(?i)(?:{notes})s?\s*[:.\-–—]\s*\S") if notes else None, spec_rx, \
        _label_rx(data.get("sponsor_labels")), _label_rx(data.get("info_box_labels")), verb_rx


def _label_rx(text):
    """A whole-line label of one of the "|"-separated phrases (a trailing ":" allowed)."""
    labels = [w.strip() for w in str(text or "").split("|") if w.strip()]
    if not labels:
        return None
    alt = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(labels, key=len, reverse=True))
    return re.compile(rf"(?i)\s*(?:{alt})\s*[:.…]*\s*")


PAGE_WORDS, PAGE_PHRASES, _PHRASE_RX, _TABLE_NOTE, _SPEC_LABEL, _SPONSOR_LABEL, _INFO_BOX, _READER_VERB = _page_talk()


def _marks_rx(marks: str, numbered: bool) -> re.Pattern:
    """The opening of a list item: one of the marks, or (`numbered`) "1.", "02)", "(3)"."""
    alt = "|".join(re.escape(m) for m in str(marks or "").split())
    num = r"|\(?\d{1,3}[.)]|0\d(?=\s)|#\d{1,2}(?=\s)" if numbered else ""
    return re.compile(rf"^\s*(?:{alt}{num})\s+")


# a list item's mark ("- ", "• ", "→ ", "1. ", "02) "), and the marks before a link to another page
LIST_MARK = _LIST_MARK = _marks_rx(_TALK_DATA.get("list_marks") or "- – — • · * ▪ ►", numbered=True)
LINK_MARK = _marks_rx(_TALK_DATA.get("link_marks") or "→", numbered=False)
_MAIL_HEADER = re.compile(r"(?i)\s*(?:" + "|".join(
    re.escape(w.strip()).replace(r"\ ", r"\s+") for w in str(_TALK_DATA.get("mail_headers") or "from").split("|")
    if w.strip()) + r")\s*:\s*\S.{0,200}")
_GREETING = re.compile(r"(?i)\s*(?:" + "|".join(     # a greeting ends in a stop ("Hello again."), "welcome to" runs on
    re.escape(w.strip()).replace(r"\ ", r"\s+") + (r"\s+\S" if w.strip().endswith(" to") else r"\b(?:\s*[,.!]|\s+[—–-]|\s*$)")
    for w in str(_TALK_DATA.get("greetings") or "hello").split("|") if w.strip()) + ")")
_SPONSOR_BY = re.compile(r"(?i)\s*(?:" + "|".join(
    re.escape(w.strip()).replace(r"\ ", r"\s+") for w in str(_TALK_DATA.get("sponsor_by") or "presented by").split("|")
    if w.strip()) + r")\s*:?\s+[^.!?]{1,40}")
_OTHER_DATE_WORDS = frozenset(w.casefold() for w in str(_TALK_DATA.get("date_words") or "").split())
_LIST_LABEL_WORDS = frozenset(str(_TALK_DATA.get("list_label_words") or "more related").split())


def strip_list_mark(line: str) -> str:
    """The item without its list mark ("→ Ferry fares to rise" -> "Ferry fares to rise")."""
    return _LIST_MARK.sub("", line, count=1)


def greets_reader(line: str) -> bool:
    """The line opens with a greeting to the reader ("Good morning. It's Tuesday ...")."""
    return bool(_GREETING.match(line)) and not _QUOTED.search(line[:40])


_SELF_REF = re.compile(r"(?i)\b(?:(?:this|our)\s+(?:article|story|page|site|website|content|newsletter|"
                       r"app|podcast|briefing|feed|service)|the\s+(?:site|website|newsletter|app|podcast))\b"
                       r"(?!\s+(?:of|about|that|which|was|is\s+not\s+over))")
_CORRECTION = re.compile(r"(?i)\bcorrect(?:ed|ion)\b|\bearlier\s+version\b|\bmisstated\b")
_URL = re.compile(r"(?i)\bhttps?://\S+|\bwww\.\S+")
# a contact: an e-mail address or a phone number ("520-555-0148", "+44 20 7946 0000")
_EMAIL = re.compile(r"(?<![\w.+\-])[\w.+\-]{1,64}@[\w\-]{1,63}(?:\.[\w\-]{1,63})+")
_CONTACT = re.compile(r"(?<![\w.+\-])[\w.+\-]{1,64}@[\w\-]{1,63}(?:\.[\w\-]{1,63})+|(?<![\w/.])(?:\+\d{1,3}[\s.\-]?)?(?:\(\d{2,4}\)\s?|\d{2,4}[\s.\-])"
                      r"\d{3,4}[\s.\-]\d{3,4}(?![\w/.])")
# reported speech: someone in the story said it ("..., she joked", "the council urged")
_SPEECH = re.compile(r"(?i)\b(?:said|says|told|joked|added|asked|urged|warned|explained|according\s+to)\b")
_READER = re.compile(r"(?i)\b(?:you|your|we|our|us)\b")
_QUOTED = re.compile(r"[\"“”„«»]")
# a line naming a date and/or a time and nothing else ("Updated 14:22", "Thursday 6
# February 2025 15:42 GMT", "Published: 02.03.2025", "2 hours ago")
_DATE_WORDS = re.compile(
    r"(?i)\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|mon(?:day)?|tue(?:s(?:day)?)?|"
    r"wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?|today|yesterday|"
    r"published|updated|posted|last|modified|first|on|at|am|pm|a\.m|p\.m|ago|hours?|hrs?|mins?|"
    r"minutes?|days?|weeks?|eastern|central|pacific|mountain|daylight|standard|summer|time|"
    r"utc|gmt|bst|cet|cest|eet|eest|ist|[ecmp][sd]t|aes?t|aed?t|jst|sgt|hkt|nzd?t|wib|z|"
    # months of other calendars a page may date itself in (Bikram Sambat, Hijri, Solar Hijri)
    r"baisakh|baishakh|jestha|jeth|asar|ashadh|shrawan|saun|bhadra|bhadau|ashwin|asoj|kartik|mangsir|"
    r"poush|push|magh|falgun|phagun|chaitra|chait|muharram|safar|rabi|jumada|rajab|sha[ʿ']?ban|ramadan|"
    r"shawwal|dhu|al|awwal|thani|akhir|ula|qadah|qa[ʿ']?dah|hijjah|farvardin|ordibehesht|khordad|tir|"
    r"mordad|shahrivar|mehr|aban|azar|dey|bahman|esfand|bs|ah|be)\b\.?")
_TIME_OR_NUMBER = re.compile(r"\d")
_NUMBER_TOKEN = re.compile(r"(?<![^\W\d_])\d")         # a number, not a digit inside a word ("RAV4")
_RANGE = re.compile(r"\s[|/~–—-]\s")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b|\b1[34]\d{2}\b")     # and a Hijri year ("1448")
# "Tuesday, September 8, 2026 - 17:32": a date with its year, then its time (not a range)
_DATE_THEN_TIME = re.compile(r"[^|/~–—]*(?:\b(?:19|20)\d{2}|\b\d{1,2}[/.]\d{1,2}[/.]\d{2})\s[|/~–—-]\s\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?"
                             r"(?:\s*[A-Z]{2,5})?\s*$", re.I)
_SEGMENTS = re.compile(r"\s+[|·•]\s+|\s*\|\s*|\s+·\s*")
_SPACED = re.compile(r"\s{2,}|\s+[/›»>]\s+")
_ROLE_NOUN = re.compile(r"(?i)(?:writer|reporter|correspondent|editor|columnist|contributor|producer|"
                        r"journalist|analyst|critic|photographer|presenter|reviewer)s?")


@dataclass(frozen=True)
class Shape:
    words: int
    chars: int
    terminal: bool
    stop_ratio: float
    title_ratio: float
    list_mark: bool
    letters: float             # share of characters that are letters

    @property
    def sentence(self) -> bool:
        """Reads as a sentence of running text (not a label, a headline or a name).
        Language-independent at heart (sentence end, words, share of capitalised
        words); English function words only add evidence."""
        if self.words >= 4 and self.terminal and self.title_ratio < 0.85:
            return True
        if self.terminal and self.chars >= 60 and self.letters >= 0.6:
            return True           # few "words": a script written without spaces
        if not self.terminal and self.words < 15:
            return False          # a headline or a label, however many function words
        if self.words >= 10 and (self.stop_ratio >= 0.3 or self.title_ratio < 0.5):
            return True
        return self.words >= 20

    @property
    def headline(self) -> bool:
        """Shaped like the headline of another story: 3-20 words, most capitalised or
        no sentence end, not a list item of the story."""
        if self.list_mark or not 3 <= self.words <= 22 or self.chars > 180:
            return False
        if self.terminal and not self.title_ratio >= 0.7:
            return False
        return self.title_ratio >= 0.6 or (not self.terminal and self.words <= 14)


def shape(line: str) -> Shape:
    words = _WORD.findall(line)
    n = len(words)
    low = [w.casefold() for w in words]
    stop = sum(1 for w in low if w in STOPWORDS)
    content = [w for w, lw in zip(words, low) if lw not in STOPWORDS] or words
    caps = sum(1 for w in content if w[:1].isupper())
    letters = sum(map(str.isalpha, line))
    return Shape(
        words=n, chars=len(line),
        terminal=bool(_TERMINAL.search(line.rstrip())),
        stop_ratio=stop / n if n else 0.0,
        title_ratio=caps / len(content) if content else 0.0,
        list_mark=bool(_LIST_MARK.match(line)),
        letters=letters / max(1, len(line)),
    )


_NOT_BODY = Shape(words=0, chars=0, terminal=False, stop_ratio=0.0, title_ratio=0.0, list_mark=False,
                  letters=0.0)          # lines the catalogue already took: never looked at


def score(s: Shape) -> float:
    """How much a line looks like furniture on its own, 0..1 (explain prints it)."""
    if s.sentence:
        return 0.05
    x = 0.3
    if not s.terminal:
        x += 0.2
    if s.words <= 4:
        x += 0.15
    if s.title_ratio >= 0.6:
        x += 0.15
    if s.stop_ratio < 0.15:
        x += 0.1
    if s.letters < 0.5:
        x += 0.1
    if s.list_mark:
        x -= 0.3
    return max(0.0, min(1.0, x))


NEUTRAL_KINDS = ("body", "headline", "figure", "caption", "pair_caption", "caption_credit")
# evidence needed to call a sentence-shaped line furniture: anywhere / outside the story
# (before its first or after its last clean sentence) / a non-sentence line
SENTENCE_EVIDENCE = 3.0
OUTSIDE_EVIDENCE = 1.0
LABEL_EVIDENCE = 1.0
HTML_OUTSIDE_EVIDENCE = 2.0     # extracted HTML: the extractor chose the container already


def classify_lines(lines: list[str], kinds: list[str], blocks: list[int], *,
                   repeats: dict[str, int] | None = None, min_repeats: int = 3,
                   key=None, scrape: bool = True, links: set | None = None,
                   threshold: float = 1.0, line_model=None,
                   line_model_threshold: float | None = None) -> list[tuple[str, float] | None]:
    """For each line still of kind "body": (reason, score) when it is furniture, else None.

    `kinds` are the catalogue's decisions so far ("body" = unclaimed); `blocks` the
    block number of each line (lines with no blank line between share a block);
    `repeats` counts of each line's key (`key(line)`) across other articles of the same
    source, for the cross-article rule. `scrape`: the text is a plain-text scrape (no
    extractor chose the article's container), so the lines after the story's last
    sentence are page tail too; for extracted HTML that rule is off. `links`: keys of
    lines that are the whole text of a link in the page (HTML): two or more such lines
    in a row, shaped like headlines, are a list of other stories even across blocks.
    `threshold` scales the evidence a line needs (below 1 removes more, above 1 less:
    the precision/recall knob bench/score_furniture.py --sweep turns). `line_model`: a
    transforms.line_model.LineModel asked for a second opinion on the lines the rules
    kept (removed at probability >= `line_model_threshold`); None: rules only.
    """
    n = len(lines)
    shapes = [shape(ln) if kinds[i] == "body" else _NOT_BODY for i, ln in enumerate(lines)]
    out: list[tuple[str, float] | None] = [None] * n
    keys = [key(ln) if key else ln for ln in lines]
    counts: dict[str, int] = {}
    for k in keys:
        counts[k] = counts.get(k, 0) + 1
    ev = [evidence(ln) if kinds[i] == "body" else 0.0 for i, ln in enumerate(lines)]
    kept: set[int] = set()              # lines a rule keeps as the story's (tables, live-blog times)
    _by_line_shape(lines, kinds, shapes, ev, out, threshold, scrape)
    body = [i for i in range(n) if kinds[i] == "body" and out[i] is None]
    sentences = [i for i in body if shapes[i].sentence
                 and not (ev[i] >= OUTSIDE_EVIDENCE * threshold and talks_to_reader(lines[i]))
                 and not (i and table_line(lines[i - 1]) and _table_note(lines[i]))]
    in_widget = _blocks_with_furniture(kinds, blocks, sentences) if scrape else set()
    clean = [i for i in sentences if blocks[i] not in in_widget]
    first = clean[0] if clean else n
    last = clean[-1] if clean else -1

    for i in body:
        s = shapes[i]
        sc = score(s)
        if repeats and repeats.get(keys[i], 0) >= min_repeats and not _story_sentence(s, counts[keys[i]]):
            out[i] = (f"repeated_across_articles ({repeats[keys[i]]} articles of the source)", sc)
        elif scrape and not s.sentence and counts[keys[i]] >= 2 and s.words <= 12 \
                and not _between_sentences(i, kinds, shapes, out):
            out[i] = (f"repeated_in_article ({counts[keys[i]]} times)", sc)
        elif clean and (i < first or i > last) and s.sentence and s.words <= 30 and talks_to_reader(lines[i]) and \
                ev[i] >= (OUTSIDE_EVIDENCE if scrape else HTML_OUTSIDE_EVIDENCE) * threshold:
            out[i] = (f"page_talk_outside_story (evidence {ev[i]:.1f})", sc)
        elif scrape and i > last >= 0 and not s.sentence and not s.list_mark and (not s.terminal or s.title_ratio >= 0.8):
            out[i] = ("after_story", sc)
        elif scrape and i < first and (s.words <= 3 or (s.words <= 6 and lines[i].isupper())) and not s.terminal \
                and not s.list_mark:
            out[i] = ("label_before_story", sc)      # section and UI labels over the story
    _repeats_story_text(lines, kinds, shapes, out, key)
    if links:
        _link_runs(lines, kinds, shapes, keys, out, links)
    _headline_runs(lines, kinds, shapes, blocks, out, first)
    _labelled_lists(lines, kinds, shapes, out, clean)
    _summary_points(lines, kinds, shapes, out, first)
    if scrape:                          # extracted HTML: the extractor chose what ends the article
        _end_sections(lines, kinds, shapes, out, clean)
    _between_furniture(lines, kinds, shapes, out, last if clean else None)
    _table_context(lines, kinds, shapes, out)
    _noted_tables(lines, kinds, shapes, out)
    if scrape:
        _furniture_blocks(lines, kinds, shapes, blocks, out)
        _story_tables(lines, kinds, blocks, out, kept)
    _live_blog_times(lines, kinds, shapes, out, kept)
    _player_titles(lines, kinds, shapes, out)
    _sponsor_pitches(lines, kinds, shapes, out)
    _button_pitches(lines, kinds, shapes, ev, out, threshold)
    _contact_blocks(lines, kinds, shapes, out)
    _labels_above_headline(lines, kinds, shapes, out)
    _info_boxes(lines, kinds, shapes, out)
    _mail_headers(lines, kinds, out)
    _comments(lines, kinds, out)
    if line_model is not None:
        from transforms import line_model as lm
        lm.second_opinion(line_model, lines, kinds, blocks, shapes, ev, out,
                          lm.DEFAULT_THRESHOLD if line_model_threshold is None else line_model_threshold, kept,
                          scrape)
    return out


def _furniture(kinds, out, i) -> bool:
    return kinds[i] in _FURNITURE_KINDS or (kinds[i] == "body" and out[i] is not None)


def _open(kinds, out, i) -> bool:
    return kinds[i] == "body" and out[i] is None


# a media duration ("1:42", "▶ 12:40", "(0:58)") and the words of a player around it
_DURATION = re.compile(r"[▶►▷⏵]?\s*(?:play\s*)?\(?\d{1,2}:\d{2}(?::\d{2})?\)?", re.I)
_PLAYER_WORDS = re.compile(r"(?i)\b(?:watch|video|videos|play|playing|listen|episode|clip|auto-?play|up\s+next|"
                           r"now\s+playing|stream|podcast)\b|[▶►▷⏵]")


def _player_titles(lines, kinds, shapes, out) -> None:
    """An embedded player: a duration line that is furniture, with a play mark or a
    player line (watch, up next, autoplay) next to it. The short line just above or
    below it is the clip's title ("KUMASI TALKS: Who owns the pavements?"), even when
    it ends like a question; a line of the story (long, quoted, someone speaking) is not."""
    n = len(lines)
    for i in range(n):
        if not (_furniture(kinds, out, i) and _DURATION.fullmatch(lines[i].strip())):
            continue
        near = [k for k in (i - 2, i - 1, i + 1, i + 2) if 0 <= k < n and _furniture(kinds, out, k)]
        if not (re.search(r"[▶►▷⏵(]", lines[i]) or any(_PLAYER_WORDS.search(lines[k]) for k in near)):
            continue
        for k in (i - 1, i + 1):
            if 0 <= k < n and _open(kinds, out, k) and shapes[k].words <= 12 and not shapes[k].list_mark \
                    and not _QUOTED.search(lines[k]) and not _SPEECH.search(lines[k]):
                out[k] = ("player_title", score(shapes[k]))


def _sponsor_pitches(lines, kinds, shapes, out) -> None:
    """The line under a sponsor label ("Sponsored", "Promoted", "Anzeige") that talks
    to the reader is the sponsor's pitch ("Cut your costs by 30%. Find out how"). Not
    under a bare "Advertisement": the story goes on after that marker."""
    if _SPONSOR_LABEL is None:
        return
    for i in range(len(lines) - 1):
        j = i + 1
        if _furniture(kinds, out, i) and (_SPONSOR_LABEL.fullmatch(lines[i]) or _SPONSOR_BY.fullmatch(lines[i])) \
                and _open(kinds, out, j) \
                and shapes[j].words <= 40 and not shapes[j].list_mark and talks_to_reader(lines[j]) \
                and not _SPEECH.search(lines[j]):
            out[j] = ("sponsor_pitch", score(shapes[j]))
        elif _furniture(kinds, out, i) and _AD_LABEL.fullmatch(lines[i].strip(" -–—*[]()|")) and _open(kinds, out, j) \
                and shapes[j].words <= 25 and _brand_line(lines[j]) and not _SPEECH.search(lines[j]) \
                and not _QUOTED.search(lines[j]):
            out[j] = ("ad_copy", score(shapes[j]))     # "Vavaʻu Vanilla Co. – pure vanilla, every Saturday."


# an ad marker, and the brand line an ad under it is written as: a name, a dash, a
# lower-case pitch (a story line after the marker reads as a sentence)
_AD_LABEL = re.compile(r"(?i)" + "|".join(re.escape(w.strip()) for w in
                                            str(_TALK_DATA.get("ad_labels") or "advertisement").split("|") if w.strip()))
_BRAND_LINE = re.compile(r"[A-Z][\w'’ʻ&.\-]*(?:\s+[A-Z][\w'’ʻ&.\-]*){0,5}(?:\s+[–—-]|:)\s+(?P<pitch>\S)")
# how an ad says where to buy: a phone number, a web address, opening days
_AD_CONTACT = re.compile(r"(?i)\b(?:call|tel\.?|phone|whatsapp|visit|www\.)\s*[:+]?\s*[\w(]|\.(?:com|net|org)\b|"
                         r"\bopen\s+(?:daily|every|\w+days?)\b|\d{3}[-\s]\d{4}\b")


def _brand_line(line: str) -> bool:
    """A brand, a dash and a pitch: a lower-case pitch ("Acme Co. – pure vanilla, every
    Saturday.") or one that says where to buy ("Acme Hardware – Generators, fencing.
    Call 335-0000.")."""
    m = _BRAND_LINE.match(line)
    return m is not None and (m.group("pitch").islower() or _AD_CONTACT.search(line) is not None)


def _button_pitches(lines, kinds, shapes, ev, out, threshold) -> None:
    """The line right above a call-to-action button that is furniture ("Give now",
    "Subscribe", "Sign up") is the button's pitch when it talks to the reader and carries
    page-talk evidence ("X depends on readers. Support independent journalism."), even
    in the middle of the story; a quotation or someone speaking is not."""
    for j in range(1, len(lines)):
        i = j - 1
        if not (_furniture(kinds, out, j) and len(lines[j].split()) <= 3 and _READER_VERB is not None
                and _READER_VERB.match(lines[j]) and _open(kinds, out, i)):
            continue
        if shapes[i].words <= 40 and not shapes[i].list_mark and ev[i] >= LABEL_EVIDENCE * threshold \
                and talks_to_reader(lines[i]) and not _SPEECH.search(lines[i]):
            out[i] = ("button_pitch", score(shapes[i]))


def _contact_blocks(lines, kinds, shapes, out) -> None:
    """A contact block: a heading that is furniture ("Media Contact"), one or two short
    lines (a name and a job title), then a line of e-mail or phone that is furniture.
    The name lines go with the block."""
    n = len(lines)
    for j in range(n):
        if not (_furniture(kinds, out, j) and _CONTACT.search(lines[j])):
            continue
        run = []
        i = j - 1
        while i >= 0 and len(run) < 2 and _open(kinds, out, i) and not shapes[i].sentence \
                and shapes[i].words <= 8 and not shapes[i].list_mark:
            run.append(i)
            i -= 1
        if run and i >= 0 and _furniture(kinds, out, i):
            for k in run:
                out[k] = ("contact_block", score(shapes[k]))


def _labels_above_headline(lines, kinds, shapes, out) -> None:
    """Short labels above the headline's repeat in the text, before any sentence: a
    section or a kind of page ("Highlands & Islands", "Press Release", "Reviews / Europe")."""
    h = next((i for i, k in enumerate(kinds) if k == "headline"), None)
    if h is None or any(_open(kinds, out, i) and shapes[i].sentence for i in range(h)):
        return
    for i in range(h):
        if _open(kinds, out, i) and shapes[i].words <= 6 and not shapes[i].list_mark:
            out[i] = ("label_above_headline", score(shapes[i]))


def _mail_headers(lines, kinds, out) -> None:
    """An e-mail's header: two or more lines in a row of the form "Label: value" with the
    labels of page_talk.yaml mail_headers ("From:", "Date:", "Subject:"), one of them
    naming a sender or recipient by address or the subject. A newsletter read as a page
    starts with it; the story never does."""
    n, i = len(lines), 0
    while i < n:
        j = i
        while j < n and kinds[j] in ("body", *_FURNITURE_KINDS) and _MAIL_HEADER.fullmatch(lines[j]):
            j += 1
        run = range(i, j)
        if len(run) >= 2 and any(_EMAIL.search(lines[k]) or re.match(r"(?i)\s*(?:subject|objet|betreff|asunto|"
                                                                      r"oggetto|onderwerp)\s*:", lines[k])
                                 for k in run):
            for k in run:
                if _open(kinds, out, k):
                    out[k] = ("mail_header", 0.9)
        i = max(j, i + 1)


_COMMENTER = re.compile(r"(?i).{2,60}\s(?:says|said|wrote|writes|commented|replied)(?:\s+(?:on|at)\s+[^:]{1,40})?\s*:")
_COMMENT_BUTTON = re.compile(r"(?i)\s*(?:" + "|".join(
    re.escape(w.strip()).replace(r"\ ", r"\s+") for w in str(_TALK_DATA.get("comment_buttons") or "reply").split("|")
    if w.strip()) + r")(?:\s*[|·•]\s*\S.{0,30})?\s*[.!]?")
MAX_COMMENT = 4


def _comments(lines, kinds, out) -> None:
    """A reader's comment: a commenter's line ("Jane Doe says:"), the lines under it (four
    at most) and the comment's button that is furniture ("Reply") are not the story. A
    line "Jane Doe says:" over a quotation with no such button is the story's."""
    n = len(lines)
    for i in range(n):
        if not ((_open(kinds, out, i) or _furniture(kinds, out, i)) and _COMMENTER.fullmatch(lines[i].strip())):
            continue
        j = i + 1
        while j < n and j - i <= MAX_COMMENT + 1 and (_open(kinds, out, j) or _furniture(kinds, out, j)) \
                and not _COMMENT_BUTTON.fullmatch(lines[j]):
            j += 1                  # its lines, and its date stamp the rules already took
        if i + 1 < j < n and j - i <= MAX_COMMENT + 1 and _COMMENT_BUTTON.fullmatch(lines[j]) \
                and _furniture(kinds, out, j):
            for k in range(i, j):
                if _open(kinds, out, k):
                    out[k] = ("comment", 0.5)


MAX_INFO_BOX = 8


def _info_boxes(lines, kinds, shapes, out) -> None:
    """A review's or a guide's info box at the end ("The details" / address / opening
    hours / "Price: €€"): a label of page_talk.yaml info_box_labels, then short lines,
    and no sentence of the story after them."""
    if _INFO_BOX is None:
        return
    n = len(lines)
    for i in range(n):
        if not (kinds[i] == "body" and _INFO_BOX.fullmatch(lines[i])):
            continue
        j, box = i + 1, []
        while j < n and len(box) < MAX_INFO_BOX and (_open(kinds, out, j) or _furniture(kinds, out, j)):
            if _open(kinds, out, j):
                if shapes[j].words > 20 or _QUOTED.search(lines[j]) or (
                        shapes[j].sentence and shapes[j].words > 8 and not re.search(r"[\d:]", lines[j])):
                    break                               # a sentence of the story, not an entry
                box.append(j)
            j += 1
        if not box or any(_open(kinds, out, k) and shapes[k].sentence and shapes[k].words >= 12
                          for k in range(j, n)):
            continue
        for k in (i, *box):
            if _open(kinds, out, k):
                out[k] = ("info_box", score(shapes[k]))


_CLOCK = re.compile(r"(?i)\d{1,2}(?:[:.]\d{2})?\s*(?:a\.m\.|p\.m\.|am|pm)(?:\s+[A-Z]{2,4})?|\d{1,2}:\d{2}(?:\s+[A-Z]{2,4})?")


def _live_blog_times(lines, kinds, shapes, out, kept: set) -> None:
    """The entries of a live blog ("The Latest") each open with a bare clock time
    ("4:14 p.m."): two or more such lines, each after a story sentence (or the intro
    "... (all times local):") and followed by one, are the story's timeline, not a date stamp of the page."""
    n = len(lines)
    stamps = [i for i in range(n) if kinds[i] == "body" and out[i] is not None
              and out[i][0] == "date_line" and _CLOCK.fullmatch(lines[i].strip())]
    if len(stamps) < 2:
        return

    def story(i, step):
        j = i + step
        while 0 <= j < n and (kinds[j] != "body" or j in stamps) and step < 0:
            j += step                       # a separator rule above an entry is fine
        return 0 <= j < n and kinds[j] == "body" and out[j] is None and (
            shapes[j].sentence or (step < 0 and lines[j].rstrip().endswith(":")))

    keep = [i for i in stamps if story(i, 1) and story(i, -1)]
    if len(keep) >= 2:
        for i in keep:
            out[i] = None
            kept.add(i)


_VENDOR = re.compile(r"(?i)\bdelay(?:ed)?\b|\b(?:data|quotes?|prices?)\s+(?:provided|supplied|powered|by)\b|"
                     r"\bpowered\s+by\b|\breal[\s-]?time\b|\bmarket\s+data\b|\bsponsored\b")


def _row(line: str) -> bool:
    """A row of a small table as text: cells between "|" or tabs, or mostly figures."""
    t = line.strip()
    return table_line(t) or (t.count("|") >= 1 and len([c for c in t.split("|") if c.strip()]) >= 2)


def _story_tables(lines, kinds, blocks, out, kept: set) -> None:
    """A table the story introduces ("The board's figures:" then its rows) is the
    story's: the intro and the rows stay, as lines. A data widget (a delay notice, a
    vendor or "real-time" line in or under it) is not."""
    n = len(lines)
    for i in range(n - 2):
        intro = lines[i].rstrip()
        if kinds[i] != "body" or not intro.endswith(":") or len(intro.split()) < 2 or _row(intro):
            continue
        j = i + 1
        while j < n and blocks[j] - blocks[i] <= 1 and (
                (kinds[j] == "body" and _row(lines[j])) or _TABLE_SEP.fullmatch(lines[j].strip())):
            j += 1                          # a "|---|" rule line stays out, as a rule
        rows = [k for k in range(i + 1, j) if kinds[k] == "body"]
        if len(rows) < 2 or any(_VENDOR.search(lines[k]) or evidence(lines[k]) for k in (i, *rows)):
            continue
        if not any(_NUMBER_TOKEN.search(lines[k]) for k in rows):
            continue                                # rows of words: a menu or tag bar
        if j < n and blocks[j] - blocks[j - 1] <= 1 and _VENDOR.search(lines[j]):
            continue                                # the widget's own note under it
        for k in (i, *rows):
            out[k] = None
            kept.add(k)


def _by_line_shape(lines, kinds, shapes, ev, out, threshold, scrape) -> None:
    """Lines that are furniture whatever their neighbours: wire initials and bare
    figures, date/time lines, counters, segmented bars, page talk."""
    prev_kind = ""
    for i, line in enumerate(lines):
        if kinds[i] != "body":
            prev_kind = kinds[i]
            continue
        s = shapes[i]
        sc = score(s)
        if _INITIALS.fullmatch(line) or (_NUMERIC.fullmatch(line) and s.words == 0):
            out[i] = ("not_text", sc)
        elif date_line(line):
            out[i] = ("date_line", sc)
        elif scrape and counter(s, line):
            out[i] = ("counter", sc)
        elif segmented(line) and not _QUOTED.search(line) and not line.startswith("|"):
            out[i] = ("segmented_bar", sc)
        elif prev_kind in ("byline", "name_byline") and role_line(line):
            out[i] = ("role_under_byline", sc)
        elif not s.sentence and not s.list_mark and ev[i] >= LABEL_EVIDENCE * threshold:
            out[i] = (f"page_talk (evidence {ev[i]:.1f})", sc)
        elif s.sentence and not s.list_mark and s.words <= 40 and ev[i] >= SENTENCE_EVIDENCE * threshold:
            out[i] = (f"page_talk (evidence {ev[i]:.1f})", sc)
        prev_kind = "body"


STORY_BLOCK = 3


def _blocks_with_furniture(kinds, blocks, sentences) -> set:
    """Blocks holding a line the catalogue called furniture, when blank lines separate
    the text into three blocks or more (a sentence there does not mark the story's end).
    The block holding most of the story's sentences (three or more) is the story's, not
    a widget, whatever furniture sits among its lines (a scrape with few blank lines)."""
    if len(set(blocks)) < 3:
        return set()
    widgets = {b for k, b in zip(kinds, blocks) if k in _FURNITURE_KINDS}
    per_block: dict[int, int] = {}
    for i in sentences:
        per_block[blocks[i]] = per_block.get(blocks[i], 0) + 1
    if per_block:
        story, most = max(per_block.items(), key=lambda kv: kv[1])
        if most >= STORY_BLOCK and most * 2 > len(sentences):
            widgets.discard(story)
    return widgets


def _between_sentences(i, kinds, shapes, out) -> bool:
    """The line sits between two sentences of the story (a subheading), not in a run of
    short lines (a table of contents, a share bar)."""
    def nearest(step):
        j = i + step
        while 0 <= j < len(kinds) and kinds[j] != "body":
            j += step
        return j if 0 <= j < len(kinds) else None
    a, b = nearest(-1), nearest(1)
    return a is not None and b is not None and shapes[a].sentence and shapes[b].sentence \
        and out[a] is None and out[b] is None


def _quote_key(text: str) -> str:
    return re.sub(r"[\"“”„«»'‘’]", "", text).strip(" .!?,;:…")


_QUOTE = r"[\"“„«‘'][^\"“”„«»]{10,300}[\"”“»’']"      # „...“ closes with “
_QUOTED_LINE = re.compile(_QUOTE)


def _repeats_story_text(lines, kinds, shapes, out, key) -> None:
    """A pull quote: a line of eight words or more (five in quotation marks) whose text is part of another,
    longer body line (a line said twice is left alone: interviews repeat questions). A
    pull quote reads as a sentence or a quotation; a line with no sentence end that
    recurs inside longer lines is an item of the story (a recipe in a meal plan)."""
    body = [i for i in range(len(lines)) if kinds[i] == "body" and out[i] is None]
    signed = {i: m.group("quote") for i in body if (m := _SIGNED_QUOTE.fullmatch(lines[i].strip()))}
    texts = {i: _quote_key(key(x) if key else x.casefold()) for i in body for x in [signed.get(i, lines[i])]}
    for i in body:
        t = texts[i]
        quoted = i in signed or _QUOTED_LINE.fullmatch(lines[i].strip()) is not None   # “...” whole: a shorter one will do
        if shapes[i].words < (5 if quoted else 8) or len(t) < (25 if quoted else 40) or \
                not (shapes[i].terminal or quoted):
            continue
        for j in body:
            if j == i or out[j] is not None:
                continue
            u = texts[j]
            if len(u) > len(t) + 2 and t in u:
                out[i] = ("repeats_story_text", score(shapes[i]))
                _pull_quote_signature(lines, kinds, shapes, out, i)
                break


_NAME_WORDS = r"[A-ZÀ-Þ][\w'’.\-]+(?:\s+[A-ZÀ-Þ][\w'’.\-]+){1,3}"
# the line under a pull quote that signs it ("— Jane Doe, residents' group"): a name said in the story
_SIGNATURE = re.compile(rf"[—–-]?\s*(?P<name>{_NAME_WORDS})(?:\s*,\s*[^.!?]{{2,80}})?")
# a pull quote signed on its own line: “...” – Jane Doe, general manager
_SIGNED_QUOTE = re.compile(rf"(?P<quote>{_QUOTE})\s*[—–-]\s*{_NAME_WORDS}(?:\s*,\s*[^.!?\"“”]{{2,80}})?")


def _pull_quote_signature(lines, kinds, shapes, out, i) -> None:
    """The pull quote at `i` is signed on the next line by a person a line of the body
    names: the signature goes with the quote."""
    k = i + 1
    if k >= len(lines) or kinds[k] != "body" or out[k] is not None or shapes[k].terminal or shapes[k].words > 12:
        return
    m = _SIGNATURE.fullmatch(lines[k].strip())
    if m and any(m.group("name") in lines[j] for j in range(len(lines)) if j != k and kinds[j] == "body"):
        out[k] = ("pull_quote_signature", score(shapes[k]))


def _link_runs(lines, kinds, shapes, keys, out, links) -> None:
    """Runs of links shaped like headlines (HTML): other stories, list marks or not."""
    n = len(lines)
    is_link = [kinds[i] == "body" and out[i] is None and keys[i] in links and
               shape(_LIST_MARK.sub("", lines[i])).headline for i in range(n)]
    i = 0
    while i < n:
        j = i
        while j < n and is_link[j]:
            j += 1
        if j - i >= 2:
            for k in range(i, j):
                out[k] = ("link_list", score(shapes[k]))
        i = max(j, i + 1)


_SOFT = ("after_story", "label_before_story")
_ITEM_NUMBER = re.compile(r"\s*(\d{1,3})[.)]\s")


def _continues_numbering(lines, out, i) -> bool:
    """Line i is item n of a numbered list whose item n-1 is a kept line above it: the
    rest of the story's own list ("6) …" kept, so "7) …", "8) …" are the story's too)."""
    m = _ITEM_NUMBER.match(lines[i])
    if not m or int(m.group(1)) < 2:
        return False
    prev = f"{int(m.group(1)) - 1}"
    for k in range(i - 1, -1, -1):
        p = _ITEM_NUMBER.match(lines[k])
        if p and p.group(1) == prev:
            return out[k] is None
    return False


def _headline_runs(lines, kinds, shapes, blocks, out, first) -> None:
    """Runs of headline-shaped lines in one block: a list of other stories, with its
    label line above. Lines the position rules already took still extend a run."""
    n = len(lines)

    def open_(k):
        return kinds[k] == "body" and (out[k] is None or out[k][0] in _SOFT) and shapes[k].headline
    i = 0
    while i < n:
        if not open_(i):
            i += 1
            continue
        j = i
        while j + 1 < n and open_(j + 1) and blocks[j + 1] == blocks[i]:
            j += 1
        lab = i - 1
        if j > i and lab >= 0 and _open_or_soft(kinds, out, lab) and lines[lab].rstrip().endswith(":") \
                and not shapes[lab].list_mark and evidence(lines[lab]) == 0:
            for k in range(lab, j + 1):     # "Scorers:": a list the story introduces, after its
                out[k] = None               # last sentence too
            i = j + 1
            continue
        if j > i and _continues_numbering(lines, out, i):
            i = j + 1
            continue
        if j > i:
            if lab >= 0 and kinds[lab] == "body" and (out[lab] is None or out[lab][0] in _SOFT) \
                    and not shapes[lab].sentence and shapes[lab].words <= 8 and blocks[lab] == blocks[i] \
                    and i > first:
                out[lab] = ("list_label", score(shapes[lab]))
            if i > first or j - i >= 2:
                for k in range(i, j + 1):
                    out[k] = ("headline_list", score(shapes[k]))
        i = j + 1


MAX_ITEM_WORDS = 16


def item_headline(line: str) -> bool:
    """A list item shaped like another story's headline: its mark aside, 2-16 words and
    no sentence end (a headline may ask: a final "?" is allowed); each half of a
    bilingual "X / Y" judged alone."""
    item = strip_list_mark(line).strip()
    item = item[:-1] if item.endswith("?") else item
    halves = item.split(" / ") if item.count(" / ") == 1 else [item]
    return all(2 <= len(_WORD.findall(h)) <= MAX_ITEM_WORDS and len(h) <= 160 and not _TERMINAL.search(h)
               and not h.rstrip().endswith((",", ";")) for h in halves)


def _labelled_lists(lines, kinds, shapes, out, clean) -> None:
    """A label line, then two or more list items ("· ", "→ ", "1. "): a list of other
    stories when the items are shaped like headlines and either carry a link mark ("→",
    "»") or come after the story's last sentence under a label of other stories ("More
    ...", "Latest ...": page_talk.yaml list_label_words, or a catalogue label, not a
    subheading such as "What happens next"); and, under a label that is furniture
    already ("Notes to editors"), the page's own notes when no sentence of the story
    follows them, even when the items are sentences. A list the story introduces (its
    line above ends in ":") is the story's."""
    n, i = len(lines), 1
    while i < n:
        if not (_open_or_soft(kinds, out, i) and shapes[i].list_mark):
            i += 1
            continue
        j = i
        while j < n and _open_or_soft(kinds, out, j) and shapes[j].list_mark:
            j += 1
        run, lab = range(i, j), i - 1
        i = j
        label_is_furniture = kinds[lab] in _FURNITURE_KINDS or (    # not a position guess ("after_story")
            kinds[lab] == "body" and out[lab] is not None and out[lab][0] not in _SOFT)
        if len(run) < 2 or shapes[lab].list_mark or shapes[lab].sentence or len(_WORD.findall(lines[lab])) > 8 \
                or _continues_numbering(lines, out, run[0]) \
                or kinds[lab] not in ("body", *_FURNITURE_KINDS) \
                or (lines[lab].rstrip().endswith(":") and not label_is_furniture):
            continue                    # a list the story introduces ("Elsewhere on Monday:")
        tail = not any(c >= run[-1] + 1 for c in clean)
        headlines = all(item_headline(lines[k]) for k in run)
        linked = all(LINK_MARK.match(lines[k]) for k in run)
        cue = kinds[lab] in _FURNITURE_KINDS or any(w.casefold() in _LIST_LABEL_WORDS for w in _WORD.findall(lines[lab]))
        if headlines and (linked or (tail and cue and all(c < lab for c in clean))):
            why = "headline_list"
        elif label_is_furniture and tail and all(len(_WORD.findall(lines[k])) <= 60 for k in run):
            why = "labelled_items"
        else:
            if out[lab] is not None and out[lab][0] == "after_story" and all(_open(kinds, out, k) for k in run):
                out[lab] = None         # the heading of a list the story keeps ("What happens next")
            continue
        if _open_or_soft(kinds, out, lab):
            out[lab] = ("list_label", score(shapes[lab]))
        for k in run:
            out[k] = (why, score(shapes[k]))


_END_SECTION = re.compile(r"(?i)\s*(?:" + "|".join(
    re.escape(w.strip()).replace(r"\ ", r"\s+").replace("'", "['’]") for w in
    str(_TALK_DATA.get("end_sections") or "about").split("|") if w.strip()) + r")\b.{0,60}")
MAX_END_SECTION = 6


def _end_sections(lines, kinds, shapes, out, clean) -> None:
    """A heading of an end section that is furniture ("ABOUT ACME", "Notes to editors"),
    at the end of the page (no sentence of the story after its paragraphs): the
    paragraphs under it, up to the next furniture line, are the section's."""
    n = len(lines)
    for i in range(n - 1):
        if not (_furniture(kinds, out, i) and not shapes[i].sentence and len(lines[i].split()) <= 8
                and _END_SECTION.fullmatch(lines[i])):
            continue
        j = i + 1
        while j < n and j - i <= MAX_END_SECTION and _open(kinds, out, j):
            j += 1
        if j == i + 1 or j - i > MAX_END_SECTION or any(c >= j for c in clean):
            continue
        for k in range(i + 1, j):
            out[k] = ("end_section", score(shapes[k]))


MAX_POINT_WORDS = 30


def _summary_points(lines, kinds, shapes, out, first) -> None:
    """Two or more list items under the headline, before any sentence of the story and
    with no line of the story above them: the page's summary points ("- Fares rise on six
    routes"), a box over the story, not its text."""
    i = next((k for k in range(min(first, len(lines))) if _open(kinds, out, k)), None)
    if i is None or not shapes[i].list_mark:
        return                          # the first line of the text no rule took is not an item
    j = i
    while j < first and _open(kinds, out, j) and shapes[j].list_mark and shapes[j].words <= MAX_POINT_WORDS:
        j += 1
    if j - i >= 2 and not lines[j - 1].rstrip().endswith((":", ",", ";")):
        for k in range(i, j):
            out[k] = ("summary_points", score(shapes[k]))


def _between_furniture(lines, kinds, shapes, out, last) -> None:
    """After the story's last sentence, a short line that is no sentence with furniture
    right above and right below it is part of that furniture (a newsletter's name and
    blurb between a note and its privacy line)."""
    if last is None:
        return
    for i in range(last + 1, len(lines) - 1):
        if _open(kinds, out, i) and not shapes[i].sentence and not shapes[i].list_mark and shapes[i].words <= 16 \
                and _furniture(kinds, out, i - 1) and _furniture(kinds, out, i + 1) and not _QUOTED.search(lines[i]):
            out[i] = ("between_furniture", score(shapes[i]))


def _open_or_soft(kinds, out, i) -> bool:
    return kinds[i] == "body" and (out[i] is None or out[i][0] in _SOFT)


_FIGURE = re.compile(r"[+\-−▲▼$€£(]*\d[\d,.]*%?\)?")
_CELL_FIGURE = re.compile(r"[+\-−▲▼]?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?|[+\-−▲▼]?[$€£¥]?\d[\d,.]*\s?(?:%|[kKmMbB]n?|pts?)?")
_TABLE_SEP = re.compile(r"\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)+\|?")
MAX_TITLE_WORDS = 16


def table_line(line: str) -> bool:
    """A row of a table as text: "| a | b |" cells, a "|---|---|" rule, tab-separated
    cells, cells between "|" or runs of spaces that are mostly figures or times ("Old
    Basin | 05:31 | 11:58"), or a row that is mostly figures ("Broccoli 1.18 1.04 +13.5%")."""
    t = line.strip()
    if _TABLE_SEP.fullmatch(t) or (t.startswith("|") and t.count("|") >= 3) or t.count("\t") >= 2:
        return True
    cells = t.split("|") if t.count("|") >= 2 else re.split(r"\s{2,}", t)
    if len(cells) >= 3:                 # "Egg Harbor | $298,100 | $351,700": cells, most of them figures
        cells = [c.strip() for c in cells if c.strip()]
        figs = sum(1 for c in cells if _FIGURE.fullmatch(c.replace(" ", "")) or _CELL_FIGURE.fullmatch(c))
        if len(cells) >= 3 and figs >= 2 and figs * 2 >= len(cells):
            return True
        if len(cells) >= 4 and t.count("|") >= 3 and any(re.search(r"\d", c) for c in cells) \
                and all(len(c.split()) <= 5 for c in cells):
            return True             # "Tukar Energi | Indonesia | Series B | US$38m": cells set by pipes
    tokens = t.split()
    nums = sum(1 for w in tokens if _FIGURE.fullmatch(w))
    return nums >= 2 and nums * 2 >= len(tokens) and not _TERMINAL.search(t)


def _table_context(lines, kinds, shapes, out) -> None:
    """A table that left the body takes its title line just above it ("Wholesale prices
    (€/kg)") and its note just below it ("Source: ...; delayed 15 minutes") with it: a
    label, or a line opened by a note label, never a sentence of the story around it."""
    n = len(lines)
    # only a table that left the body (the extractor or the catalogue took its rows): a
    # table kept in the story (a results table) keeps its title and note too
    tab = [(kinds[i] != "body" or out[i] is not None) and table_line(ln) for i, ln in enumerate(lines)]
    for i in range(n):
        if not tab[i]:
            continue
        for k in (i - 1, i + 1):
            if not 0 <= k < n or tab[k] or kinds[k] != "body" or out[k] is not None:
                continue
            s = shapes[k]
            if k < i and not s.sentence and not s.list_mark and s.words <= MAX_TITLE_WORDS:
                out[k] = ("table_title", score(s))
            elif k > i and _TABLE_NOTE is not None and _TABLE_NOTE.match(lines[k]) and s.words <= 60:
                out[k] = ("table_note", score(s))
            elif k > i and not s.sentence and not s.list_mark and s.words <= MAX_TITLE_WORDS \
                    and not s.headline:
                out[k] = ("table_note", score(s))


def _table_note(line: str) -> bool:
    """A note under a table: opened by a note label, possibly after a word or two
    ("Source: ...", "Forecast data: ...", "Figures as of ..."), or a data vendor's line."""
    return bool(_VENDOR.search(line)) or (_TABLE_NOTE is not None and bool(
        _TABLE_NOTE.match(line) or _NOTE_AFTER_WORDS.match(line) or _AS_OF.search(line)))


# the note label after a word or two ("Forecast data: ...", "Price source: ...")
_NOTE_AFTER_WORDS = re.compile(r"(?i)(?:[^\W\d_][\w'’\-]*\s+){1,2}" + _TABLE_NOTE.pattern.removeprefix("(?i)")) \
    if _TABLE_NOTE is not None else None
_AS_OF = re.compile(r"(?i)(?:figures|data|prices|numbers|rates|table|standings|results|times|quotes|values|levels|scores)\s+(?:(?:are\s+)?(?:correct|accurate|current)\s+)?(?:as\s+(?:of|at)|at)\s+\S")


def _noted_tables(lines, kinds, shapes, out) -> None:
    """A table with a note under it ("Source: ...", "Data: ... delayed", "Table correct
    at 19:00") is a data box of the page: its rows, its title or caption row above and
    the note go together. A table the story introduces (a line ending in ":" right
    above it) is the story's and stays."""
    n = len(lines)
    i = 0
    while i < n:
        if not (table_line(lines[i]) and (kinds[i] == "body" or _furniture(kinds, out, i))):
            i += 1
            continue
        j = i
        while j < n and table_line(lines[j]) and (kinds[j] == "body" or _furniture(kinds, out, j)):
            j += 1
        start, end = i, j
        i = j
        if end - start < 2 or end >= n or not _open_or_taken(kinds, out, end) \
                or not _table_note(lines[end]) or shapes[end].words > 60:
            continue
        top = start - 1
        if top >= 1 and _open_or_taken(kinds, out, top) and _row(lines[top]) and not shapes[top].sentence:
            top -= 1                                    # the header row ("Index | Last | Chg")
        if top >= 0 and (kinds[top] == "body" or _furniture(kinds, out, top)) and not shapes[top].sentence \
                and shapes[top].words <= MAX_TITLE_WORDS and not lines[top].rstrip().endswith(":"):
            top -= 1                                    # the table's title ("Division One table")
        if top >= 0 and kinds[top] == "body" and out[top] is None and lines[top].rstrip().endswith(":"):
            continue                                    # introduced by the story
        for k in range(top + 1, end + 1):
            if _open_or_taken(kinds, out, k) and kinds[k] == "body":
                out[k] = ("noted_table", score(shapes[k]))


def _open_or_taken(kinds, out, i) -> bool:
    return kinds[i] == "body" or _furniture(kinds, out, i)


_FURNITURE_KINDS = ("boilerplate", "gallery_ui")
_HEADER_KINDS = ("byline", "name_byline")     # a header block: the byline sits with the stamps
MAX_BLOCK = 8


def _furniture_blocks(lines, kinds, shapes, blocks, out) -> None:
    """A small block (lines with no blank line between) that is at least half furniture
    is a widget: a newsletter box with its pitch, a video with its description, a
    feedback prompt with its buttons, a sponsor label with its ad. Its other short
    lines go with it. Only where blank lines separate the story's paragraphs (three
    blocks or more), never a quotation or a story list item."""
    members: dict[int, list[int]] = {}
    for i, b in enumerate(blocks):
        members.setdefault(b, []).append(i)
    if len(members) < 3:
        return
    for b, idx in members.items():
        if len(idx) < 2 or len(idx) > MAX_BLOCK:
            continue
        furn = [i for i in idx if kinds[i] in _FURNITURE_KINDS + _HEADER_KINDS
                or (kinds[i] == "body" and out[i] is not None)]
        rest = [i for i in idx if kinds[i] == "body" and out[i] is None]
        other = len(idx) - len(furn) - len(rest)          # captions, credits, bylines: not furniture
        signed = [i for i in idx if kinds[i] in _HEADER_KINDS]
        if signed:          # a head block: a sentence under its byline is the story's start
            rest = [i for i in rest if i < signed[0] or not shapes[i].sentence]
        if not furn or not rest or other:
            continue
        if len(furn) < len(rest) and not all(shapes[i].words <= 3 for i in rest):
            continue                                # short lines under furniture: its buttons
        if any(shapes[i].words > 30 or shapes[i].list_mark or _QUOTED.search(lines[i]) for i in rest):
            continue
        for i in rest:
            out[i] = ("in_furniture_block", score(shapes[i]))


def evidence(line: str) -> float:
    """How much a line talks about the page or to its reader (0 = not at all): page
    words ("subscribe", "share", "cookies", "listen"), a reference to the page itself
    ("this article", "our newsletter"), the reader addressed ("you", "our"). A line
    with quotation marks or a speech verb ("said", "urged") is someone speaking in the
    story, a correction is the story's own: no evidence."""
    if _QUOTED.search(line) or _CORRECTION.search(line) or _SPEECH.search(line) or spec_line(line):
        return 0.0
    words = [w.casefold().strip("'’") for w in _WORD.findall(line)]
    x = float(sum(1 for w in words if w in PAGE_WORDS))
    if _PHRASE_RX is not None:
        x += sum(PAGE_PHRASES.get(m.group(0).casefold(), 0.0) for m in _PHRASE_RX.finditer(line))
    x += 1.5 * len(_SELF_REF.findall(line))
    x += len(_URL.findall(line)) + len(_EMAIL.findall(line))
    if greets_reader(line):
        x += 2.0
    if x:                   # addressing the reader only adds to other evidence
        x += 0.5 * min(2, len(_READER.findall(line)))
    return x


def spec_line(line: str) -> bool:
    """A review's spec line: two or more different spec labels ("Tested by: ... RRP: ...
    More info: ..."), the review's own data (page_talk.yaml spec_labels)."""
    if _SPEC_LABEL is None or len(line) > 400:
        return False
    return len({m.group(1).casefold() for m in _SPEC_LABEL.finditer(line)}) >= 2


def reported_speech(line: str) -> bool:
    """A sentence of the story in which someone speaks ("Subscribe to nothing, she joked,
    ..."): sentence-shaped, a speech verb, no link and no reference to the page itself. A
    catalogue entry for page talk steps aside for it, as the classifier's evidence does."""
    if len(line) > 1200 or "@" in line or _URL.search(line) or _SELF_REF.search(line):
        return False
    if _NOTE_HEAD.match(line):
        return False                    # "Update, 11:05: Added comment from ...": a note's label
    s = shape(line)
    return s.sentence and s.words >= 8 and bool(_SPEECH.search(line))


_NOTE_HEAD = re.compile(r"\s*(?i:update[ds]?|editor['’]s\s+note|correction|clarification|amended|revised|corrected)\b[^:]{0,30}:")


def talks_to_reader(line: str) -> bool:
    """The line refers to the page itself or addresses its reader ("this article", "our
    newsletter", "you", a link, an instruction: "Follow X on Instagram"), as page talk does
    and news about email or sharing does not."""
    if _QUOTED.search(line):
        return False
    return bool(_SELF_REF.search(line) or _READER.search(line) or _URL.search(line)
                or (_READER_VERB and _READER_VERB.search(line)) or greets_reader(line))


def date_line(line: str) -> bool:
    """The line is a date and/or a time and nothing else."""
    if not _TIME_OR_NUMBER.search(line) or len(line) > (140 if _YEAR.search(line) else 100):
        return False
    stamps = _STAMPS.split(line)
    if len(stamps) > 1:                 # "Published: 22/07/26 – 16:05 · Updated 3 h ago": stamps in a row
        return all(date_line(p) or not _TIME_OR_NUMBER.search(p) and _only_date_words(p) for p in stamps)
    place = _PLACE_FIRST.match(line)
    if place and _YEAR.search(line) and date_line(line[place.end():]):
        return True                     # "Asunción, jueves 20 de agosto de 2026": a masthead's place and date
    if _RANGE.search(line) and not _DATE_THEN_TIME.match(line):
        parts = _RANGE.split(line)      # "Jeudi 8 octobre 2026 | Thursday, 8 October 2026": each a dated stamp,
        dated = [p for p in parts if _TIME_OR_NUMBER.search(p)]   # or a label ("Julkaistu / Published 16.6.2026")
        return bool(dated) and all(_YEAR.search(p) and _TIME_OR_NUMBER.search(_YEAR.sub("", p)) and date_line(p)
                                   for p in dated) and all(_only_date_words(p) for p in parts if p not in dated)
        # not "9.30 a.m. / 7 p.m." (opening times), not "2026 - 2027"
    return _only_date_words(line)


def _only_date_words(line: str) -> bool:
    rest = _DATE_WORDS.sub(" ", re.sub(r"\d+(?:st|nd|rd|th)?", " ", line))    # "7:05pm", "1st"
    return all(w.casefold() in _OTHER_DATE_WORDS for w in _WORD.findall(rest))


_STAMPS = re.compile(r"\s+·\s+")
_PLACE_FIRST = re.compile(r"(?:[A-ZÀ-Þ][\w'’.\-]*\s+){0,2}[A-ZÀ-Þ][\w'’.\-]*,\s+")


def segmented(line: str) -> bool:
    """Three or more short items separated by "|" or "·": a share bar, a tag list, a
    row of page links, a meta line ("Name · Outlet · Posted: ..."); or three or more
    words-only items set apart by runs of spaces or by " / ", " › " (a scraped menu
    "Scorecard   Commentary   Report", a breadcrumb "Reviews / Europe / Lisbon")."""
    parts = [p for p in _SEGMENTS.split(line) if p.strip()]
    if len(parts) >= 3 and all(len(_WORD.findall(p)) <= 7 for p in parts):
        return True
    parts = [p for p in _SPACED.split(line.strip()) if p.strip()]
    return len(parts) >= 3 and all(1 <= len(_WORD.findall(p)) <= 4 and not _NUMBER_TOKEN.search(p)
                                   and not _TERMINAL.search(p) for p in parts)


def counter(s: Shape, line: str) -> bool:
    """A short line with a number and no sentence end: "5 min read", "Comments (12)",
    "Duration 2:14", "$179 at Amazon"."""
    return s.words <= 3 and not s.terminal and not s.list_mark and bool(_NUMBER_TOKEN.search(line)) \
        and len(line) <= 40


def role_line(line: str) -> bool:
    """A reporter's job title on its own line ("Rural affairs writer", "Senior Reviews Editor")."""
    words = line.split()
    return 1 <= len(words) <= 5 and not line.rstrip().endswith((".", "!", "?")) and \
        bool(_ROLE_NOUN.fullmatch(words[-1].strip(",;")))


def _story_sentence(s: Shape, count_in_article: int) -> bool:
    return s.sentence and count_in_article == 1 and s.words >= 12

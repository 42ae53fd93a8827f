"""The headline of a plain-text scrape: the first line shaped like one, not simply the first line.

A scrape copied from a page often starts with what sits above the headline: the site's
name, a section label or breadcrumb ("News › Business"), a kicker ("EXCLUSIVE"), a date
stamp, "Skip to content". Taking the first line as the title then pushes the headline
into the body and the site name into the title column. The reader still takes the first
line (it cannot know better); this step looks at the first few lines again and promotes
the headline when the lines above it are shaped like page furniture. When in doubt the
first line stays the title: a wrong promotion would move a story line out of the body.

Pure code, no Beam.
"""
from __future__ import annotations

import re

from transforms.furniture import date_line, role_line, segmented, shape

LEAD = 6                 # lines above a headline worth looking through
ANCHOR_LEAD = 12         # lines looked through for a headline with its byline or date below
STRONG_LEAD = 20         # ... for a headline signed "By Name" (over an e-mail header, a markets box)
MIN_LETTERS = 0.5        # share of letters in a headline (a ticker line of prices has few)
SHORT_SENTENCE = 20      # words: a sentence above such a headline is furniture, not the story
MOTTO_WORDS = 8          # "Your trusted source for island news.": a motto, not a sentence of the page
MAX_NOTICES = 2          # furniture lines between a headline and its byline or standfirst
INTRO_WORDS = 40         # ... up to a newsletter's intro, over a headline with "By" right under it
_CRUMB = re.compile(r"\s(?:›|»|>|/|\||·|•|→)\s")
_CHROME = re.compile(r"(?:skip to (?:main )?content|menu|home|search|sign in|log in|subscribe|"
                     r"advertisement|sponsored(?: content)?|live|breaking(?: news)?|exclusive|"
                     r"opinion|analysis|updated|watch|listen|share|print)", re.I)


_HERE = re.compile(r"^(?i:you\s+are\s+here|breadcrumbs?|location)\s*:\s*")   # "You are here: Home › News"


def _crumb(line: str) -> bool:
    """A breadcrumb or section path: short parts between separators."""
    parts = [p for p in _CRUMB.split(_HERE.sub("", line)) if p.strip()]
    return len(parts) >= 2 and all(len(p.split()) <= 3 for p in parts)


def _label(line: str) -> bool:
    """A site name, section or kicker: at most three words, no sentence end, or shouting."""
    s = shape(line)
    if _CHROME.fullmatch(line.strip(" :|-–—")):
        return True
    if s.words == 0:
        return True
    short = s.words <= 3 and not s.terminal
    shout = line.upper() == line and any(ch.isalpha() for ch in line) and (
        s.words <= 4 or s.words <= 7 and _MASTHEAD_END.search(line.strip()) is not None)
    cells = [c for c in _GAP.split(line.strip()) if c]
    return short or shout or (len(cells) >= 2 and all(_label(c) for c in cells))


_GAP = re.compile(r"\s{3,}")     # cells of a laid-out bar ("ACME NV        PRESS KIT")
# the last word of a masthead in capitals ("NORTH PENNINE COURT NEWS AGENCY", "... RADIO 101.3 FM")
_MASTHEAD_END = re.compile(r"(?i)\b(?:agency|service|services|news|times|post|herald|gazette|radio|council|"
                           r"press|bureau|network|weekly|daily|bulletin|wheel|journal|review|fm|am)$")


def _headline(line: str) -> bool:
    """Shaped like a headline: several words, no full stop (nor a greeting's comma) at the end, not too long, no
    bar between its parts (a motto "News without borders · Știri fără frontiere"), not opened in lower case."""
    s = shape(line)
    return 4 <= s.words <= 30 and s.chars <= 220 and not line.rstrip().endswith((".", ",")) and not s.list_mark \
        and s.letters >= MIN_LETTERS and not segmented(line) and not _BAR.search(line) and not _LOWER_START.match(line)


# a line that starts in lower case ("independent, reader-funded news from ..."): a motto, not a
# headline ("eBay", "iPhone" start with a capital after it)
_LOWER_START = re.compile(r"[\"'“‘(]?[a-zà-ÿ](?![A-Z])")


_OUTLET_END = re.compile(r"(?:news|times|post|herald|tribune|journal|gazette|courier|chronicle|press|star|"
                         r"sun|telegraph|guardian|observer|examiner|register|dispatch|record|review|bee|"
                         r"daily|today|network|wire|media|magazine|radio|tv|bureau|independent|standard|"
                         r"mail|mirror|express|leader|citizen|advocate|enquirer|inquirer|sentinel|globe|"
                         r"republic|monitor|ledger|bulletin|beacon|eagle|democrat|statesman|argus|banner|"
                         r"messenger|courant|echo|mercury|gazette|weekly|online|report|insider|digest)", re.I)
_BAR = re.compile(r"\s[·•|]\s")
_COPY = re.compile(r"©|\(c\)|copyright", re.I)
_DOMAIN = re.compile(r"^(?:https?://)?(?:www\d?\.)?([^/:?#]+)", re.I)
_NAME_WORD = re.compile(r"[A-Z0-9][\w'’.&\-]*|of|the|and|de|la|le|du|&")


def _key(s: str) -> str:
    return re.sub(r"[^a-z0-9]", "", s.casefold())


def _site_name(line: str, text: str, url: str | None) -> bool:
    """The site's own name (masthead): the URL's domain spelled out ("Harbour Gazette" on
    harbourgazette.example), a line named again in a bar or © line further down, or a short
    title-case name ending in an outlet word ("Bay of Plenty Times-Courier")."""
    words = line.split()
    if not 1 <= len(words) <= 7 or shape(line).terminal or not all(_NAME_WORD.fullmatch(w) for w in words):
        return False
    key = _key(line)
    if len(key) >= 4 and url:
        host = _DOMAIN.match(url.strip())
        if host and key.removeprefix("the") in _key(host.group(1).rsplit(".", 1)[0]):
            return True
    low = line.casefold()
    for later in text.split("\n")[:400]:
        if low in later.casefold() and later.strip().casefold() != low and (_BAR.search(later) or _COPY.search(later)):
            return True
    return False


def _outlet_shaped(line: str) -> bool:
    """Two to six title-case words ending in an outlet word ("Bay of Plenty Times-Courier"):
    a masthead, or a title-case headline ("Jets Name New Team Leader"): weak evidence."""
    words = line.split()
    return 2 <= len(words) <= 6 and not shape(line).terminal and all(_NAME_WORD.fullmatch(w) for w in words) \
        and _OUTLET_END.fullmatch(re.split(r"[\s\-]", words[-1])[-1]) is not None


def _head_hit(line: str, catalogue):
    """The catalogue's class of a head line (as the anatomy step reads it: one half of a
    bilingual line too, "Sasa hewani / Now on air: …")."""
    from transforms.anatomy import _catalogue_hit
    return None if catalogue is None else _catalogue_hit(line, catalogue, "head")


def _furniture(line: str, catalogue) -> bool:
    if _head_hit(line, catalogue) is not None:
        return True
    return date_line(line) or _crumb(line) or len(_BAR.findall(line)) >= 2 or _bar_of_furniture(line, catalogue) \
        or _acronym_and_name(line)


def _acronym_and_name(line: str) -> bool:
    """An organisation's initials and its name in a bar ("NRNU · Northland Registered
    Nurses Union", "Harbour Water Board | HWB"): a masthead."""
    parts = [p.strip() for p in _BAR.split(line)]
    if len(parts) != 2:
        return False
    for short, full in (parts, parts[::-1]):
        initials = "".join(w[0] for w in full.split() if w[:1].isupper())
        if 2 <= len(short) <= 8 and short.isupper() and short.isalpha() and initials == short:
            return True
    return False


def _bar_of_furniture(line: str, catalogue) -> bool:
    """Two page links in a bar, each furniture by the catalogue ("View in browser |
    Forward to a friend")."""
    parts = [p.strip() for p in _BAR.split(line)]
    return catalogue is not None and len(parts) == 2 and all(
        p and catalogue.classify(p, position="head") is not None for p in parts)


def _byline_or_stamp(line: str, catalogue, caps: bool = True) -> bool:
    """What sits right under a headline: a byline, a bare name, a date stamp. `caps`:
    a name in capitals too ("JANE DOE-ROE"; a masthead looks the same at the top)."""
    from transforms.anatomy import bare_name, caps_name
    if date_line(line) or bare_name(line) or caps and caps_name(line) or _staff_byline(line):
        return True
    hit = _head_hit(line, catalogue)
    if hit is None:
        return False
    return hit[0] == "byline" or (hit[0] == "boilerplate" and _published_stamp(line))


def _published_stamp(line: str) -> bool:
    """A "Published:" stamp, its label alone or after the label of another language
    ("Imechapishwa / Published: 12 August 2026")."""
    label = line.split(":", 1)[0]
    return _PUBLISHED.match(line) is not None or (
        label.count(" / ") == 1 and len(label) <= 40 and _PUBLISHED.match(label.split(" / ")[1]) is not None)


def _staff_byline(line: str) -> bool:
    """A byline naming a role, not a person: "Staff Correspondent, Sylhet", "Our Reporter"."""
    head = line.split(",")[0].strip()
    return len(line.split()) <= 6 and len(head.split()) >= 2 and role_line(head)


_PUBLISHED = re.compile(r"(?i)(?:published|posted|updated|first published|release date|date|publicat|publicado|"
                        r"publié|veröffentlicht|gepubliceerd|pubblicato|opublikowano|publicerad|publisert|"
                        r"julkaistu|birt|avaldatud|publiceret|udgivet)\b")
_SENTENCE = re.compile(r"[.!?…][\"'’”)\]]*$")


def _standfirst(line: str, catalogue) -> bool:
    """A summary sentence between a headline and its byline."""
    return len(line.split()) >= 8 and _SENTENCE.search(line) is not None and not _furniture(line, catalogue)


def _chrome(line: str, text: str, catalogue) -> bool:
    """Page furniture, a label, the site's name: not a line of the story."""
    return _furniture(line, catalogue) or _label(line) or _site_name(line, text, None) or _outlet_shaped(line)


def _by_byline(line: str, catalogue) -> bool:
    """A byline that says so: "By Jane Doe" (the catalogue's byline opened by a byline word)."""
    from transforms.anatomy import BYLINE_MARKER
    if catalogue is None or not re.match(BYLINE_MARKER + r"\s*:?\s", line):
        return False
    hit = catalogue.classify(line, position="head")
    return hit is not None and hit[0] == "byline"


def _notice(line: str, catalogue) -> bool:
    """A notice the catalogue knows, worded ("Bosanska verzija: Tri firme, jedna porodica"),
    not a bar of links or places, a label or a byline."""
    return len(line.split()) >= 4 and not _BAR.search(line) and not _crumb(line) and not _label(line) \
        and _furniture(line, catalogue) and not _byline_or_stamp(line, catalogue)


def _labelled_byline(line: str, catalogue) -> bool:
    """A byline that says so by a label and a colon ("Autori / Authors: Jane Doe"), not
    only by its shape ("Jane Doe | Harbourtown" is also a masthead's "Nuacht Áitiúil | Local News")."""
    return ":" in line[:40] and not date_line(line) and (_head_hit(line, catalogue) or ("",))[0] == "byline"


def _signed(items, k: int, catalogue, loose: bool = False) -> bool:
    """The line at `k` has a byline or a date stamp right under it, or under notices the
    catalogue knows ("This page has been machine-translated"), or under its standfirst
    (a summary sentence; `loose`: without its full stop too, when the first line is no
    headline itself)."""
    rest = [x for _, x in items[k + 1:k + 6]]
    skip = 0                        # notices the catalogue knows between ("Bosanska verzija: ...")
    while skip < MAX_NOTICES and skip < len(rest) and _notice(rest[skip], catalogue):
        skip += 1
    below = rest[skip] if skip < len(rest) else ""
    below2 = rest[skip + 1] if skip + 1 < len(rest) else ""
    first, second = (rest + ["", ""])[:2]
    if first and _furniture(first, catalogue) and (_opens_with_dateline(second, catalogue)
                                                   or _byline_or_stamp(second, catalogue)):
        return True                 # a rule or a label, then the byline or the dateline
    return bool(below) and (_byline_or_stamp(below, catalogue) or _opens_with_dateline(below, catalogue)
                            or not skip and _story_paragraph(below, catalogue) or (
        _standfirst(below, catalogue) or loose and _open_standfirst(below, catalogue))
        and bool(below2) and _byline_or_stamp(below2, catalogue))


def _opens_with_dateline(line: str, catalogue) -> bool:
    """The story's first paragraph, opened by its dateline ("(HARBOURTOWN, ON) – Police
    are warning ..."): the line right above it is the headline."""
    return catalogue is not None and len(line.split()) >= 8 and bool(catalogue.dateline(line))


STORY_WORDS = 25         # a paragraph this long, ending a sentence, under a headline-shaped line: the story


_VERBISH = frozenset("is are was were be been has have had will would can could it we i they he she you "
                     "said says say do does did".split())


def _motto(line: str) -> bool:
    """A masthead's motto ("Your trusted source for island news.", "Independent. Egyptian.
    In English."): a few words and no verb of a sentence ("It is Monday and the tide is out.")."""
    words = re.findall(r"[\w'’]+", line.casefold())
    return len(words) <= MOTTO_WORDS and not any(w in _VERBISH for w in words)


_HALVES = re.compile(r"\s[—–/]\s")


def _bilingual_motto(line: str) -> bool:
    """A masthead's motto said in two languages ("« La vérité dans les deux langues » —
    Truth in both languages"): each half a motto."""
    halves = _HALVES.split(line)
    return len(halves) == 2 and all(_motto(h) for h in halves)


def _story_paragraph(line: str, catalogue) -> bool:
    """The story's first paragraph right under a headline-shaped line (no byline, no
    stamp between): a long sentence that is no furniture."""
    return len(line.split()) >= STORY_WORDS and _SENTENCE.search(line) is not None and not _furniture(line, catalogue)


def _any_standfirst(line: str, catalogue) -> bool:
    return _standfirst(line, catalogue) or _open_standfirst(line, catalogue)


def _open_standfirst(line: str, catalogue) -> bool:
    """A standfirst without its full stop: a line of ten words or more, no furniture."""
    return len(line.split()) >= 10 and not _furniture(line, catalogue) and not _SENTENCE.search(line)


def _full_header(items, k: int, catalogue) -> bool:
    """Under the line at `k`, within a few lines: a name or byline and a date stamp (a
    page's whole article header), which anchors a headline as a "By" byline does."""
    from transforms.anatomy import bare_name
    below = [x for _, x in items[k + 1:k + 6]]
    named = any(_by_byline(x, catalogue) or bare_name(x) or
                (_head_hit(x, catalogue) or ("",))[0] == "byline" for x in below)
    dated = any(date_line(x) or _published_stamp(x) and (_head_hit(x, catalogue) or ("",))[0] == "boilerplate"
                for x in below)
    return named and dated


def _signed_below(items, k: int, text: str, catalogue) -> bool:
    """Not the line at `k` (no "By" byline right under it) but a headline a few lines below,
    with only page furniture between (the date, a menu, a section label) and its "By" byline
    right under it: that one is the headline."""
    if k + 1 < len(items) and _by_byline(items[k + 1][1], catalogue):
        return False
    for j in range(k + 2, min(k + 6, len(items) - 1)):
        line = items[j][1]
        below = items[j + 1][1]
        below2 = items[j + 2][1] if j + 2 < len(items) else ""
        if _headline(line) and not _furniture(line, catalogue) and (
                _by_byline(below, catalogue) or _any_standfirst(below, catalogue)
                and _by_byline(below2, catalogue)):         # or under the headline's standfirst
            return all(_chrome(x, text, catalogue) for _, x in items[k + 1:j])
    return False


def _short_sentence(line: str) -> bool:
    """A sentence too short to be a paragraph of the story: a greeting, a table's note."""
    return len(line.split()) <= SHORT_SENTENCE


def _anchored_headline(title: str, text: str, catalogue, weak: bool):
    """(title, text, lead) when a headline-shaped line among the first lines has a byline
    or a date stamp right under it (or under its standfirst) and only page furniture above it (widgets, score
    boxes, "Now playing" bars, section labels): that line is the headline, however
    headline-like the lines above it look. Short sentences above it (a newsletter's
    greeting, a markets box's note) are allowed only when a "By" byline signs it. None
    when no such line, when the first line itself has the byline under it, or when a
    story sentence comes first."""
    lines = text.split("\n")
    items = [(i, ln.strip()) for i, ln in enumerate(lines) if ln.strip()][:STRONG_LEAD]
    if not items:
        return None
    # the first line, shaped like a headline, has its byline or stamp below it: it is the headline, unless a line
    # further down has the story's dateline or a "By" byline right under it over furniture only
    stamped = weak and _byline_or_stamp(items[0][1], catalogue, caps=False) and not (
        _outlet_shaped(title) and any(_by_byline(x, catalogue) for _, x in items[1:ANCHOR_LEAD]))
    lead = [title]
    sentences = False               # short sentences above: only a "By" byline anchors now
    long_ = False                   # a newsletter's intro paragraph above: only "By" right under it
    for k, (i, line) in enumerate(items):
        if _key(line) == _key(title):
            return None             # the headline said again over the story: the first line is it
        if _headline(line) and not _furniture(line, catalogue) and _signed(items, k, catalogue, loose=not weak):
            strong = any(_by_byline(x, catalogue) for _, x in items[k + 1:k + 3]) and (
                _by_byline(items[k + 1][1], catalogue) or date_line(items[k + 1][1])) \
                or _full_header(items, k, catalogue) \
                or any(_labelled_byline(x, catalogue) for _, x in items[k + 1:k + 4]) \
                or any(_opens_with_dateline(x, catalogue) for _, x in items[k + 1:k + 3])   # or the story's dateline
            if (sentences or k >= ANCHOR_LEAD or stamped) and not strong \
                    or long_ and not _by_byline(items[k + 1][1], catalogue):
                return None
            if stamped and not all(_chrome(x, text, catalogue) or shape(x).list_mark for x in lead[1:]):
                return None
            if _signed_below(items, k, text, catalogue):
                lead.append(line)   # a motto with the date under it, the headline with its "By" further down
                continue
            if weak and (k == 0 or not all(_chrome(x, text, catalogue) or strong and (
                    _bilingual_motto(x) or shape(x).list_mark) for x in lead[1:])) \
                    and not (k and _opens_with_dateline(items[k + 1][1], catalogue)):
                return None         # a headline-like first line right above, or over story-like lines
            if k and i - 1 == items[k - 1][0] and _headline(lead[-1]) and not _chrome(lead[-1], text, catalogue):
                return None         # a headline right above, no blank between: this is its standfirst
            return line, "\n".join(lines[i + 1:]), lead
        if _SENTENCE.search(line) and not _furniture(line, catalogue):
            if len(line.split()) > INTRO_WORDS or _by_byline(line, catalogue):
                return None         # a story sentence: the story has begun
            sentences = sentences or not _motto(line)      # a masthead's motto is no sentence of the page
            long_ = long_ or not _short_sentence(line)
        lead.append(line)
    return None


def promote_headline(title: str | None, text: str, *, catalogue=None,
                     url: str | None = None) -> tuple[str | None, str, list[str]]:
    """(title, text, lead): when `title` (the scrape's first line) and the lines after it
    are furniture up to a headline-shaped line, that line becomes the title; the lines above
    it are returned as `lead` (boilerplate) and removed from `text`. Otherwise unchanged."""
    title = (title or "").strip()
    if not title:
        return None, text, []
    weak = not (_furniture(title, catalogue) or _label(title) or _site_name(title, text, url))
    anchored = _anchored_headline(title, text, catalogue, weak)
    if anchored is not None:
        return anchored
    if weak and not _outlet_shaped(title):
        return title, text, []
    lines = text.split("\n")
    lead = [title]
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        if len(lead) > LEAD:
            break
        stripped = line.strip()
        if _furniture(stripped, catalogue):
            lead.append(stripped)
            continue
        if _headline(stripped):
            if weak and len(lead) == 1:
                break               # an outlet-shaped first line right above a headline-shaped
            return stripped, "\n".join(lines[i + 1:]), lead    # line: may be the headline itself
        if _label(stripped) or _site_name(stripped, text, url) or _outlet_shaped(stripped):
            lead.append(stripped)
            continue
        break                       # a sentence or something else: the first line stays
    return title, text, []


ECHO_PARAGRAPHS = 2      # story paragraphs a headline is compared with
ECHO_WORDS = 3           # content words a headline shares with them ...
ECHO_SHARE = 0.4         # ... and at least this share of its own content words
ECHO_KEEP = 0.5          # a title sharing this share of its words (or ECHO_WORDS) stays
ECHO_STRONG = 4          # a line sharing this many (and ECHO_KEEP of its words) is no furniture
ECHO_LEAD_WORDS = 15     # a sentence this long, no furniture, is a paragraph of the story
ECHO_LOOK = 30           # lines above the story's first paragraph looked through
_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
_BY_NAME = re.compile(r"(?:By|BY)\s+[A-ZÀ-Þ]")      # "By Jane Doe, ...": a byline, however it goes on


def _content_words(line: str) -> set:
    """The words of a line that carry its subject (no stopwords, no short words, a
    plural's s dropped), for comparing a headline with the story's lead."""
    from transforms.furniture import STOPWORDS
    out = set()
    for w in _WORD.findall(line.casefold()):
        w = re.sub(r"['’]s$", "", w).strip("'’-")
        if len(w) >= 3 and w not in STOPWORDS:
            out.add(w[:-1] if w.endswith("s") and len(w) > 4 else w)
    return out


def echo_headline(title: str | None, text: str, lead: list, *, catalogue=None) -> tuple[str | None, str, list]:
    """(title, text, lead): a headline says what the lead says. When the title chosen from
    the head of a scrape shares (almost) nothing with the story's first paragraphs (a
    masthead, an e-mail header, a parish's name) and a headline-shaped line above the
    first paragraph shares several of their words, that line is the headline and the lines
    above it join `lead`. Publisher-independent: no catalogue entry names the masthead."""
    if not title:
        return title, text, lead
    lines = text.split("\n")
    items = [(i, ln.strip()) for i, ln in enumerate(lines) if ln.strip()][:ECHO_LOOK + ECHO_PARAGRAPHS * 4]
    signed = items and (_by_byline(items[0][1], catalogue) or _byline_or_stamp(items[0][1], catalogue, caps=False))
    if len(items) > 1 and not signed and items[0][0] == 0 and _any_standfirst(items[0][1], catalogue):
        # a standfirst right under the title, no blank line between, and the byline under it
        signed = _by_byline(items[1][1], catalogue) or _byline_or_stamp(items[1][1], catalogue, caps=False)
    if signed and _headline(title) and not title.startswith(("(", "[")) and not _BY_NAME.match(title) \
            and not _byline_or_stamp(title, catalogue, caps=False) and not _crumb(title):
        return title, text, lead            # the title is signed (under its standfirst too): a headline, however it reads

    def story_line(ln: str) -> bool:
        return len(ln.split()) >= ECHO_LEAD_WORDS and _SENTENCE.search(ln) is not None and not _furniture(ln, catalogue)

    first = next((k for k, (_, ln) in enumerate(items) if story_line(ln)), None)
    if not first or first > ECHO_LOOK:
        return title, text, lead
    story = set()
    for _, ln in [x for x in items[first:] if story_line(x[1])][:ECHO_PARAGRAPHS]:
        story |= _content_words(ln)
    own = _content_words(title)
    if not _BY_NAME.match(title) and (len(own & story) >= ECHO_WORDS or own and len(own & story) / len(own) >= ECHO_KEEP):
        return title, text, lead            # (a byline names the story's places too: no headline for that)

    def echoes(line: str) -> bool:
        words = _content_words(line)
        shared = len(words & story)
        if not _headline(line) or shared < ECHO_WORDS or shared < ECHO_SHARE * len(words) or date_line(line):
            return False
        return shared >= ECHO_STRONG and shared >= ECHO_KEEP * len(words) or not (
            _furniture(line, catalogue) or _byline_or_stamp(line, catalogue))

    for k in range(first - 1, -1, -1):          # below the title, nearest the lead first
        i, line = items[k]
        if echoes(line):
            above = [title] + [ln for _, ln in items[:k]]
            return line, "\n".join(lines[i + 1:]), list(lead) + above
    for m in range(len(lead) - 1, -1, -1):      # above it (the title was a score line, a byline): the
        if echoes(lead[m]):                     # lines between are furniture, a byline goes back to the text
            back = _BY_NAME.match(title) or _byline_or_stamp(title, catalogue, caps=False)
            return lead[m], "\n".join(([title] if back else []) + [text]), \
                list(lead[:m]) + list(lead[m + 1:]) + ([] if back else [title])
    return title, text, lead

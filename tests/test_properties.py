"""Property tests: arbitrary bytes never crash a reader or lose a unit; anatomy never
invents body text; a CLI run over random files always adds up."""
from __future__ import annotations

import gzip
import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.config import Config
from pipeline.model import Page, Reject
from pipeline.sources import InputSpec, kind_of, read_input
from tests.conftest import FIXTURES, assert_accounting, last_summary, run_cli
from tests.test_hostile_inputs import jsonl_record, page, rss, story, warc

SETTINGS = dict(deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

# Valid documents of each kind, for mutation: hostile bytes near the happy path find more.
_SEEDS = {
    ".txt": [b"A title\n\nFirst paragraph.\n\nSecond paragraph.\n"],
    ".html": [page(story(0)).encode()],
    ".jsonl": [jsonl_record(story(0)) + b"not json\n" + jsonl_record(story(1))],
    ".rss": [rss([story(0), story(1)]).encode(), (FIXTURES / "hostile" / "entries.rss").read_bytes(),
             (FIXTURES / "hostile" / "feed.json").read_bytes()],
    ".warc": [warc([story(0), story(1)], gz=False)[0], warc([story(2)])[0]],
}


@st.composite
def mutated(draw, ext):
    seed = draw(st.sampled_from(_SEEDS[ext]))
    for _ in range(draw(st.integers(0, 3))):
        op = draw(st.sampled_from(["cut", "insert", "flip", "splice"]))
        at = draw(st.integers(0, len(seed)))
        if op == "cut":
            seed = seed[:at]
        elif op == "insert":
            seed = seed[:at] + draw(st.binary(max_size=64)) + seed[at:]
        elif op == "flip" and seed:
            at = min(at, len(seed) - 1)
            seed = seed[:at] + bytes([seed[at] ^ draw(st.integers(1, 255))]) + seed[at + 1:]
        elif op == "splice":
            end = draw(st.integers(at, len(seed)))
            seed = seed[:at] + seed[end:]
    return seed


def contents(ext):
    return st.one_of(st.binary(max_size=2048), mutated(ext),
                     st.binary(max_size=512).map(lambda b: gzip.compress(b)))


def _read(ext: str, data: bytes):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "input" + ext)
        with open(path, "wb") as fh:
            fh.write(data)
        units = list(read_input(InputSpec(path, kind_of(path)), Config(), None))
    assert units, "no unit at all"
    assert all(isinstance(u, (Page, Reject)) for u in units)
    assert not [u for u in units if isinstance(u, Reject) and u.reason == "read_failed"], units
    refs = [u.input_ref for u in units]
    assert len(refs) == len(set(refs)), refs
    for u in units:
        if isinstance(u, Reject):
            assert u.reason and len(u.reason) <= 30 and u.reason.replace("_", "").isalnum(), u.reason
    return units


@settings(max_examples=100, **SETTINGS)
@given(data=contents(".txt"))
def test_any_bytes_as_text_give_one_unit(data):
    assert len(_read(".txt", data)) == 1


@settings(max_examples=100, **SETTINGS)
@given(data=contents(".html"))
def test_any_bytes_as_html_give_one_unit(data):
    assert len(_read(".html", data)) == 1


@settings(max_examples=120, **SETTINGS)
@given(data=contents(".jsonl"))
def test_any_bytes_as_jsonl_give_one_unit_per_non_blank_line(data):
    units = _read(".jsonl", data)
    if data[:2] == b"\x1f\x8b" or data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[:4] == b"\x00\x00\xfe\xff":
        return                         # gzip or UTF-16/32: lines are not the raw lines
    lines = [line for line in data.split(b"\n") if line.strip()]
    assert len(units) == max(1, len(lines))


@settings(max_examples=120, **SETTINGS)
@given(data=contents(".rss"))
def test_any_bytes_as_a_feed_give_units(data):
    _read(".rss", data)


@settings(max_examples=120, **SETTINGS)
@given(data=contents(".warc"))
def test_any_bytes_as_a_warc_give_units(data):
    _read(".warc", data)


@settings(max_examples=100, **SETTINGS)
@given(data=st.one_of(st.binary(max_size=2048), *[mutated(e) for e in _SEEDS]))
def test_any_bytes_with_an_unknown_extension_give_units(data):
    _read(".dat", data)


# ---------------------------------------------------------------------------- anatomy

_LINES = [
    "LONDON (Reuters) - The bank raised rates on Thursday.", "WASHINGTON (AP) — Senators met.",
    "By Jane Smith and Tom Jones", "Photo: John Doe/Getty Images", "(Reuters)", "Sputnik",
    "Read more:", "Advertisement", "Share this article", "Image caption, A crowd gathers",
    "Image source, Getty Images", "Reporting by Ann Lee; Editing by Bob Ray", "1 of 5",
    "MOSCOW, March 3 (Reuters) - Talks resumed.", "", "   ", "\t",
]


@st.composite
def article_text(draw):
    lines = draw(st.lists(st.one_of(st.sampled_from(_LINES), st.text(max_size=120)), max_size=25))
    sep = draw(st.sampled_from(["\n", "\n\n", "\r\n", "\r"]))
    return sep.join(lines)


@settings(max_examples=200, **SETTINGS)
@given(text=article_text(), title=st.one_of(st.none(), st.text(max_size=60), st.sampled_from(_LINES)))
def test_anatomy_never_raises_and_never_invents_body_text(text, title):
    from transforms.anatomy import Catalogue, split_anatomy
    parts = split_anatomy(text, title=title, catalogue=_catalogue())
    assert isinstance(parts["body"], str)
    for para in parts["body"].split("\n\n"):
        if para.strip():
            assert para in text, (para, text)


_CAT = []


def _catalogue():
    if not _CAT:
        from transforms.anatomy import Catalogue
        _CAT.append(Catalogue.load())
    return _CAT[0]


# ---------------------------------------------------------------------------- end to end

_EXTS = [".txt", ".html", ".jsonl", ".rss", ".xml", ".warc", ".warc.gz", ".jsonl.gz", ".dat", ".json"]


@settings(max_examples=5, **SETTINGS)
@given(files=st.lists(st.tuples(st.sampled_from(_EXTS),
                                st.one_of(st.binary(max_size=1024), *[mutated(e) for e in _SEEDS])),
                      min_size=1, max_size=6))
def test_a_run_over_random_files_always_adds_up(files):
    root = Path(tempfile.mkdtemp(prefix="nb-prop-"))
    try:
        inp = root / "in"
        inp.mkdir()
        for i, (ext, data) in enumerate(files):
            (inp / f"f{i}{ext}").write_bytes(data)
        out = root / "out"
        assert run_cli("--input", str(inp), "--output", str(out), "--no-entities") == 0
        summary = last_summary(out)
        assert_accounting(summary)
        assert summary["seen"]["total"] >= len(files)
        assert "read:read_failed" not in summary["rejected_by_reason"]
    finally:
        shutil.rmtree(root, ignore_errors=True)

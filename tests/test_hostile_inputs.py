"""Hostile and broken inputs through the real CLI: every unit ends as an article, a
duplicate or a reject row with a stable reason, and the run's accounting adds up.

Small fixtures live in tests/fixtures/hostile/; big or binary ones (the 50 MB page, the
truncated archives, the 5 MB lines) are generated in tmp_path at test time.
"""
from __future__ import annotations

import gzip
import io
import json
import shutil
import time
import zlib
from collections import Counter
from html import escape
from pathlib import Path

import pytest

from tests.conftest import (FIXTURES, assert_accounting, last_summary, read_articles, read_rejects,
                            run_cli)

HOSTILE = FIXTURES / "hostile"

# --------------------------------------------------------------------------------------
# Builders for generated inputs: each story has its own words, so no two collide in dedup.

_PLACES = ["Ashby", "Brookvale", "Carrow", "Dunmore", "Eastleigh", "Fenwick", "Glenrock", "Harlow",
           "Ivybridge", "Juniper Falls", "Kingsmere", "Lowther"]
_THINGS = ["a footbridge", "the swimming pool", "a bus depot", "the town hall clock", "a skate park",
           "the harbour wall", "a cycle lane", "the market hall", "a flood barrier", "the old mill",
           "a community orchard", "the railway footpath"]


def story(i: int) -> dict:
    place, thing = _PLACES[i % len(_PLACES)], _THINGS[(i * 5) % len(_THINGS)]
    return {
        "slug": f"{place.lower().replace(' ', '-')}-story-{i}",
        "title": f"{place} approves {thing} after {i + 3} months of talks",
        "paragraphs": [
            f"Councillors in {place} voted on Tuesday to pay for {thing}, ending a debate that began "
            f"{i + 3} months ago and drew {40 + i} residents to the last meeting.",
            f"The work will cost about {2 + i} million pounds, the council treasurer said, and should "
            f"finish within {i % 4 + 1} years if the contractor keeps to schedule.",
            f"Resident group chair number {i} said the decision was overdue and thanked the volunteers "
            f"who collected {300 + 7 * i} signatures in {place}.",
        ],
    }


def url_of(s: dict, host: str = "hostile-news.example") -> str:
    return f"https://{host}/2024/03/{(len(s['slug']) % 27) + 1:02d}/{s['slug']}"


def page(s: dict, host: str = "hostile-news.example") -> str:
    paras = "\n".join(f"<p>{escape(p)}</p>" for p in s["paragraphs"])
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{escape(s["title"])}'
            f'</title>\n<link rel="canonical" href="{url_of(s, host)}"></head>\n<body><article>'
            f'<h1>{escape(s["title"])}</h1>\n{paras}\n</article></body></html>\n')


def jsonl_record(s: dict) -> bytes:
    return json.dumps({"url": url_of(s, "wire.example"), "title": s["title"],
                       "text": "\n\n".join(s["paragraphs"])}).encode() + b"\n"


def truncated_jsonl_gz(stories) -> bytes:
    """All records but the last complete; the gzip stream ends inside the last one."""
    co = zlib.compressobj(6, zlib.DEFLATED, 31)
    head = co.compress(b"".join(jsonl_record(s) for s in stories[:-1])) + co.flush(zlib.Z_FULL_FLUSH)
    last = co.compress(jsonl_record(stories[-1])) + co.flush(zlib.Z_SYNC_FLUSH)
    return head + last[:len(last) // 2]


def warc(stories, *, gz=True, host="archive.example") -> tuple[bytes, list[int]]:
    """A WARC of HTML responses (plus one image) and the offset where each record starts."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    offsets = []
    for s in stories:
        offsets.append(buf.tell())
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                   protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            url_of(s, host), "response", payload=io.BytesIO(page(s, host).encode()), http_headers=headers,
            warc_headers_dict={"WARC-Date": "2024-03-05T10:00:00Z"}))
    offsets.append(buf.tell())
    headers = StatusAndHeaders("200 OK", [("Content-Type", "image/gif")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(f"https://{host}/pixel.gif", "response",
                                                  payload=io.BytesIO(b"GIF89a\x01\x00"), http_headers=headers))
    return buf.getvalue(), offsets


def rss(stories, host="dat-feed.example") -> str:
    items = "".join(
        f"<item><title>{escape(s['title'])}</title><link>{url_of(s, host)}</link><guid>{url_of(s, host)}</guid>"
        "<content:encoded><![CDATA[" + "".join(f"<p>{escape(p)}</p>" for p in s["paragraphs"])
        + "]]></content:encoded></item>\n" for s in stories)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Dat Feed</title>'
            f'<link>https://{host}/</link>\n{items}</channel></rss>\n')


def _write(path: Path, data) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def _all_output_text(out: Path) -> str:
    """Every value of every article and reject row, and the run summaries, as one string."""
    parts = [str(read_articles(out).to_pylist()) if (out / "articles").exists() else "",
             str(read_rejects(out).to_pylist())]
    parts += [p.read_text(errors="replace") for p in (out / "_runs").glob("*.json")]
    return "\n".join(parts)


# --------------------------------------------------------------------------------------
# The mixed corpus: one run over every hostile kind at once.

BIG_FILE_LIMIT = 20_000_000


@pytest.fixture(scope="module")
def mixed_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    inp = root / "in"
    shutil.copytree(HOSTILE, inp / "fixtures")
    gen = inp / "generated"
    # truncated gzip JSONL: 3 complete records, the 4th cut
    _write(gen / "cut.jsonl.gz", truncated_jsonl_gz([story(i) for i in range(4)]))
    # truncated WARC: records 1-2 whole, record 3 cut in its middle
    data, offsets = warc([story(i) for i in range(4, 7)], gz=False)
    cut = offsets[2] + (offsets[3] - offsets[2]) // 2
    _write(gen / "cut.warc", data[:cut])
    # a 50 MB page, over the configured limit
    with open(gen / "huge.html", "wb") as fh:
        fh.write(b"<html><body><article>")
        block = (b"<p>" + b"filler words for a page far too large to read " * 20 + b"</p>\n")
        fh.write(block * (50_000_000 // len(block) + 1))
        fh.write(b"</article></body></html>")
    # very long lines: a 5 MB single-line text file, and a 5 MB JSONL record
    _write(gen / "one_line.txt", "endless " * 650_000)
    long_story = story(7)
    long_story["paragraphs"].append("More words for the record. " * 190_000)
    _write(gen / "long_line.jsonl", jsonl_record(long_story))
    # 100k nested <div>
    _write(gen / "nested.html", "<html><head><title>Nested</title></head><body>" + "<div>" * 100_000
           + "<p>The paragraph at the bottom of the nesting.</p>" + "</div>" * 100_000 + "</body></html>")
    # unknown extensions with sniffable content
    _write(gen / "feed_in_disguise.dat", rss([story(8), story(9)]))
    _write(gen / "archive_in_disguise.dat", warc([story(10)], host="dat-archive.example")[0])
    _write(gen / "mystery.bin", bytes(range(256)) * 8 + b"\x00" * 512)

    cfg = _write(root / "hostile.yaml", f"read:\n  max_file_bytes: {BIG_FILE_LIMIT}\n"
                                        "extract:\n  timeout: 20\n")
    out = root / "out"
    t0 = time.monotonic()
    code = run_cli("--input", str(inp), "--output", str(out), "--config", str(cfg), "--no-entities")
    seconds = time.monotonic() - t0
    summary = last_summary(out)
    return {"code": code, "out": out, "summary": summary, "seconds": seconds, "input": inp,
            "articles": read_articles(out).to_pylist(), "rejects": read_rejects(out).to_pylist()}


def _by_reason(rejects, stage=None):
    return Counter(r["reason"] for r in rejects if stage is None or r["stage"] == stage)


def _rejects_for(run, name: str):
    return [r for r in run["rejects"] if Path(r["input_ref"].split("#")[0].rsplit(":", 1)[0]).name == name
            or Path(r["input_ref"].split("#")[0]).name == name]


def _articles_for(run, name: str):
    return [a for a in run["articles"] if Path(a["input_ref"].split("#")[0].rsplit(":", 1)[0]).name == name
            or Path(a["input_ref"].split("#")[0]).name == name]


def test_mixed_corpus_run_completes_and_adds_up(mixed_run):
    assert mixed_run["code"] == 0
    s = mixed_run["summary"]
    assert_accounting(s)
    assert s["written"]["total"] == len(mixed_run["articles"])
    read_reasons = _by_reason(mixed_run["rejects"], "read")
    assert dict(read_reasons) == {
        "feed_unsafe_xml": 2,          # billion laughs, external entity
        "feed_malformed": 1,           # HTML served as .xml
        "feed_empty": 1,               # channel without items
        "feed_entry_empty": 2,         # entries with neither content nor link
        "empty_input": 1,              # empty .txt
        "not_html": 1,                 # binary bytes named .html
        "decode_error": 1,             # the cut gzip JSONL
        "warc_truncated": 1,           # the cut WARC
        "too_large": 1,                # the 50 MB page
        "jsonl_invalid": 3,            # bad lines among good ones
        "jsonl_missing_body": 1,
        "unknown_kind": 2,             # unknown.dat, mystery.bin
    }, read_reasons
    # nothing fell through to the catch-all
    assert not [r for r in mixed_run["rejects"] if r["reason"] in ("read_failed", "extract_error")]
    assert s["duplicates"]["total"] == 1
    assert s["rejected"]["total"] == len([r for r in mixed_run["rejects"] if r["stage"] != "dedup"])
    for r in mixed_run["rejects"]:
        assert r["reason"] and len(r["reason"]) <= 30 and r["reason"].replace("_", "").isalnum(), r
    # every reject row names one unit, and no unit is both written and rejected
    refs = [r["input_ref"] for r in mixed_run["rejects"]] + [a["input_ref"] for a in mixed_run["articles"]]
    assert len(refs) == len(set(refs))


def test_mixed_corpus_run_is_fast_enough(mixed_run):
    assert mixed_run["seconds"] < 45, mixed_run["seconds"]


def test_unsafe_feeds_are_rejected_and_leak_nothing(mixed_run):
    rejects = {Path(r["input_ref"]).name: r for r in mixed_run["rejects"] if r["reason"] == "feed_unsafe_xml"}
    assert set(rejects) == {"billion_laughs.rss", "xxe_passwd.rss"}
    text = _all_output_text(mixed_run["out"])
    assert "lollollol" not in text
    passwd = Path("/etc/passwd")
    if passwd.exists():
        for line in passwd.read_text(errors="replace").splitlines()[:5]:
            if len(line) > 8:
                assert line not in text


def test_feed_faults(mixed_run):
    # ill-formed XML: what feedparser recovers is written
    assert len(_articles_for(mixed_run, "ill_formed.rss")) == 2
    assert [r["reason"] for r in _rejects_for(mixed_run, "html_as_feed.xml")] == ["feed_malformed"]
    assert [r["reason"] for r in _rejects_for(mixed_run, "empty_channel.rss")] == ["feed_empty"]
    # entries: relative link resolved against the channel link; no link but content: written
    entries = {a["title"]: a for a in _articles_for(mixed_run, "entries.rss")}
    assert entries["Bakery wins county prize for rye loaf"]["url"] == \
        "https://entries.example/2024/05/01/rye-prize"
    assert entries["Library extends weekend hours"]["url"] is None
    assert "trustees" in entries["Library extends weekend hours"]["body"]
    # the same entry twice: written once, one dedup duplicate naming the kept id
    tram = [a for a in entries.values() if a["title"] == "Tram line opens to the stadium"]
    assert len(tram) == 1
    dups = [r for r in _rejects_for(mixed_run, "entries.rss") if r["stage"] == "dedup"]
    assert len(dups) == 1 and tram[0]["id"] in dups[0]["detail"]
    empties = sorted(r["input_ref"].rsplit("#", 1)[1] for r in _rejects_for(mixed_run, "entries.rss")
                     if r["reason"] == "feed_entry_empty")
    assert empties == ["ent-3", "ent-4"]
    assert len(entries) == 3
    # JSON Feed: both items
    jf = {a["title"]: a for a in _articles_for(mixed_run, "feed.json")}
    assert set(jf) == {"Orchard presses its first cider", "Night market returns to the old quay"}
    assert jf["Orchard presses its first cider"]["url"] == "https://jsonjunction.example/2024/04/09/orchard-cider"


@pytest.mark.parametrize("name", ["cp1252_declared_utf8.rss", "utf8_declared_cp1252.rss",
                                  "cp1252_declared_utf8.html", "utf8_declared_cp1252.html"])
def test_mislabelled_charsets_decode_to_the_right_text(mixed_run, name):
    [article] = _articles_for(mixed_run, name)
    body = article["body"]
    for word in ("café", "Zürich", "façade", "Anaïs Lefèvre", "crème brûlée", "pâtisseries préférées"):
        assert word in body, (word, body)
    assert "Ã" not in body and "\ufffd" not in body


def test_file_faults(mixed_run):
    assert [r["reason"] for r in _rejects_for(mixed_run, "empty.txt")] == ["empty_input"]
    assert [r["reason"] for r in _rejects_for(mixed_run, "binary.html")] == ["not_html"]
    assert [r["reason"] for r in _rejects_for(mixed_run, "unknown.dat")] == ["unknown_kind"]
    assert [r["reason"] for r in _rejects_for(mixed_run, "mystery.bin")] == ["unknown_kind"]
    [huge] = _rejects_for(mixed_run, "huge.html")
    assert huge["reason"] == "too_large" and str(BIG_FILE_LIMIT) in huge["detail"]


def test_truncated_gzip_jsonl_keeps_the_complete_lines(mixed_run):
    written = _articles_for(mixed_run, "cut.jsonl.gz")
    assert sorted(a["title"] for a in written) == sorted(story(i)["title"] for i in range(3))
    [rej] = _rejects_for(mixed_run, "cut.jsonl.gz")
    assert rej["reason"] == "decode_error" and rej["input_ref"].endswith(":4")


def test_truncated_warc_keeps_the_records_before_the_cut(mixed_run):
    written = _articles_for(mixed_run, "cut.warc")
    assert sorted(a["url"] for a in written) == sorted(url_of(story(i), "archive.example") for i in (4, 5))
    [rej] = _rejects_for(mixed_run, "cut.warc")
    assert rej["reason"] == "warc_truncated"


def test_jsonl_with_invalid_lines_writes_the_valid_ones(mixed_run):
    written = _articles_for(mixed_run, "mixed.jsonl")
    assert sorted(a["title"] for a in written) == ["Harbour dredging starts", "School roof repaired"]
    reasons = sorted((r["input_ref"].rsplit(":", 1)[1], r["reason"]) for r in _rejects_for(mixed_run, "mixed.jsonl"))
    assert reasons == [("2", "jsonl_invalid"), ("3", "jsonl_invalid"), ("5", "jsonl_missing_body"),
                       ("8", "jsonl_invalid")]


def test_long_lines_and_deep_nesting_end_as_rows(mixed_run):
    # 5 MB single line .txt: the line is the title and nothing is left for a body
    one = _articles_for(mixed_run, "one_line.txt") + _rejects_for(mixed_run, "one_line.txt")
    assert len(one) == 1
    [long_rec] = _articles_for(mixed_run, "long_line.jsonl")
    assert long_rec["title"] == story(7)["title"] and len(long_rec["body"]) > 4_000_000
    nested = _articles_for(mixed_run, "nested.html") + _rejects_for(mixed_run, "nested.html")
    assert len(nested) == 1
    if "reason" in nested[0]:
        assert nested[0]["reason"] in ("extract_empty", "extract_timeout", "extract_memory", "body_empty")


def test_unknown_extensions_are_sniffed(mixed_run):
    feed = _articles_for(mixed_run, "feed_in_disguise.dat")
    assert sorted(a["title"] for a in feed) == sorted(story(i)["title"] for i in (8, 9))
    assert {a["source_kind"] for a in feed} == {"feed"}
    [arch] = _articles_for(mixed_run, "archive_in_disguise.dat")
    assert arch["source_kind"] == "warc" and arch["url"] == url_of(story(10), "dat-archive.example")


def test_mixed_corpus_figures(mixed_run, capsys):
    """Prints the run's figures (pytest -s) for the report; asserts the totals agree."""
    s = mixed_run["summary"]
    with capsys.disabled():
        print(f"\nmixed run: seen {s['seen']['total']} written {s['written']['total']} "
              f"duplicates {s['duplicates']['total']} rejected {s['rejected']['total']} "
              f"in {mixed_run['seconds']:.1f} s")
        for reason, n in s["rejected_by_reason"].items():
            print(f"  {reason:<32} {n}")
    assert sum(s["rejected_by_reason"].values()) == s["rejected"]["total"]

"""The reader generators on their own (no Beam): pipeline.sources.read_input with an InputSpec.

Every input yields at least one unit, Page or Reject, with a unique input_ref.
"""
from __future__ import annotations

import gzip
import json
import time
import tracemalloc
import zlib
from pathlib import Path

import pytest

from pipeline import decode as dec
from pipeline.config import Config
from pipeline.feeds import unsafe_xml
from pipeline.model import Page, Reject
from pipeline.sources import InputSpec, kind_of, read_input, sniff
from tests.conftest import FIXTURES
from tests.test_hostile_inputs import jsonl_record, story, truncated_jsonl_gz, url_of, warc

HOSTILE = FIXTURES / "hostile"


def units(path: Path, config: Config | None = None, kind: str | None = None):
    out = list(read_input(InputSpec(str(path), kind or kind_of(str(path))), config or Config(), None))
    assert out, f"{path}: no unit at all"
    refs = [u.input_ref for u in out]
    assert len(refs) == len(set(refs)), refs
    assert not [u for u in out if isinstance(u, Reject) and u.reason == "read_failed"], out
    return out


def pages(us):
    return [u for u in us if isinstance(u, Page)]


def reasons(us):
    return [u.reason for u in us if isinstance(u, Reject)]


def write(tmp_path: Path, name: str, data) -> Path:
    p = tmp_path / name
    p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return p


# ---------------------------------------------------------------------------- unsafe XML

def _timed(path):
    tracemalloc.start()
    t0 = time.perf_counter()
    try:
        us = units(path)
    finally:
        seconds = time.perf_counter() - t0
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return us, seconds, peak


ENTITY_FEED = ('<?xml version="1.0"{enc}?>\n{pre}<!DOCTYPE rss [ {decl} ]>\n<rss version="2.0"><channel>'
               '<title>T</title><link>https://t.example/</link><item><title>&e;</title>'
               '<link>https://t.example/a</link><description>&e;</description></item></channel></rss>')


@pytest.mark.parametrize("variant", ["bomb", "passwd", "marker", "utf16", "utf16-nobom", "late-doctype",
                                     "lowercase", "parameter"])
def test_entity_tricks_are_refused_fast_with_bounded_memory(tmp_path, variant):
    marker = write(tmp_path, "secret.txt", "TOP-SECRET-MARKER-41\n")
    decl = '<!ENTITY e SYSTEM "file:///etc/passwd">'
    enc, pre, encoding = "", "", "utf-8"
    if variant == "bomb":
        data = (HOSTILE / "billion_laughs.rss").read_bytes()
    else:
        if variant == "marker":
            decl = f'<!ENTITY e SYSTEM "file://{marker}">'
        elif variant == "utf16":
            enc, encoding = ' encoding="UTF-16"', "utf-16"
        elif variant == "utf16-nobom":
            enc, encoding = ' encoding="UTF-16LE"', "utf-16-le"
        elif variant == "late-doctype":   # the declaration after 100 KB of comment
            pre = "<!-- " + "padding " * 13_000 + "-->\n"
        elif variant == "lowercase":
            decl = '<!entity e SYSTEM "file:///etc/passwd">'
        elif variant == "parameter":
            decl = f'<!ENTITY % p SYSTEM "file://{marker}"> %p; <!ENTITY e "x">'
        data = ENTITY_FEED.format(enc=enc, pre=pre, decl=decl).encode(encoding)
    path = write(tmp_path, f"{variant}.rss", data)
    us, seconds, peak = _timed(path)
    assert reasons(us) == ["feed_unsafe_xml"]
    assert seconds < 2
    assert peak < 30 * len(data) + 5_000_000, peak
    assert "TOP-SECRET-MARKER" not in repr(us) and "root:" not in repr(us)


def test_a_dtd_on_the_local_disk_is_refused_but_a_netscape_rss_091_doctype_is_not(tmp_path):
    marker = write(tmp_path, "secret.dtd", '<!ENTITY e "TOP-SECRET-MARKER-42">')
    item = ("<item><title>Story</title><link>https://t.example/a</link>"
            "<description>&lt;p&gt;Some text&lt;/p&gt;</description></item>")
    local = write(tmp_path, "local.rss", f'<?xml version="1.0"?>\n<!DOCTYPE rss SYSTEM "file://{marker}">\n'
                  f'<rss version="0.91"><channel><title>T</title><link>https://t.example/</link>{item}'
                  '</channel></rss>')
    assert reasons(units(local)) == ["feed_unsafe_xml"]
    netscape = write(tmp_path, "netscape.rss", '<?xml version="1.0"?>\n<!DOCTYPE rss PUBLIC '
                     '"-//Netscape Communications//DTD RSS 0.91//EN" '
                     '"http://my.netscape.com/publish/formats/rss-0.91.dtd">\n<rss version="0.91">'
                     f'<channel><title>T</title><link>https://t.example/</link>{item}</channel></rss>')
    us = units(netscape)
    assert len(pages(us)) == 1 and not reasons(us)


def test_unsafe_xml_is_linear_on_hostile_doctype_text():
    data = b"<!DOCTYPE " + b"SYSTEM 'x' " * 400_000
    t0 = time.perf_counter()
    unsafe_xml(data)
    assert time.perf_counter() - t0 < 2


# ---------------------------------------------------------------------------- feeds

def test_feed_entry_links(tmp_path):
    feed = write(tmp_path, "links.rss", """<?xml version="1.0"?>
<rss version="2.0"><channel><title>L</title><link>https://links.example/section/</link>
<item><title>Relative</title><link>../2024/a</link><guid isPermaLink="false">1</guid><description>x</description></item>
<item><title>Guid not a URL</title><guid>abc-123</guid></item>
<item><title>Guid is a URL</title><guid>https://links.example/2024/b</guid></item>
<item><title>Script link</title><link>javascript:alert(1)</link><guid isPermaLink="false">4</guid></item>
<item><title>File link</title><link>file:///etc/passwd</link><guid isPermaLink="false">5</guid><description>&lt;p&gt;body&lt;/p&gt;</description></item>
</channel></rss>""")
    us = {u.input_ref.rsplit("#", 1)[1]: u for u in units(feed)}
    assert us["1"].url == "https://links.example/2024/a" and us["1"].needs_fetch
    assert isinstance(us["abc-123"], Reject) and us["abc-123"].reason == "feed_entry_empty"
    assert us["https://links.example/2024/b"].url == "https://links.example/2024/b"
    assert isinstance(us["4"], Reject) and us["4"].reason == "feed_entry_empty"
    assert "javascript" in us["4"].detail
    assert isinstance(us["5"], Page) and us["5"].url is None and not us["5"].needs_fetch


def test_relative_links_without_a_feed_link_are_not_fetched(tmp_path):
    feed = write(tmp_path, "nolink.rss", '<?xml version="1.0"?><rss version="2.0"><channel><title>N</title>'
                 '<item><title>A</title><link>/2024/a</link></item></channel></rss>')
    assert reasons(units(feed)) == ["feed_entry_empty"]


def test_the_same_entry_twice_gets_two_distinct_refs(tmp_path):
    us = units(HOSTILE / "entries.rss")
    tram = [u for u in us if isinstance(u, Page) and u.title == "Tram line opens to the stadium"]
    assert len(tram) == 2 and tram[0].input_ref != tram[1].input_ref
    assert tram[1].input_ref.endswith("~2")


def test_json_feed_variants(tmp_path):
    bad = write(tmp_path, "bad.json", '{"version": "https://jsonfeed.org/version/1", "items": [')
    assert reasons(units(bad)) == ["feed_malformed"]
    empty = write(tmp_path, "empty.json", '{"version": "https://jsonfeed.org/version/1", "items": []}')
    assert reasons(units(empty)) == ["feed_empty"]
    odd = write(tmp_path, "odd.json", json.dumps({"version": "https://jsonfeed.org/version/1", "items": [
        1, {"id": "a"}, {"id": "a", "content_text": "Text."}, {"id": "a", "content_text": "More."}]}))
    us = units(odd)
    assert reasons(us) == ["feed_malformed", "feed_entry_empty"] and len(pages(us)) == 2
    assert len(units(HOSTILE / "feed.json")) == 2


def test_feed_charsets_without_a_declaration(tmp_path):
    text = '<rss version="2.0"><channel><title>Gazette</title><link>https://g.example/</link><item>' \
           '<title>Café à Zürich</title><link>https://g.example/a</link></item></channel></rss>'
    for enc in ("utf-8", "cp1252", "utf-16"):
        [u] = units(write(tmp_path, f"nodecl-{enc}.rss", text.encode(enc)))
        assert u.title == "Café à Zürich", (enc, u.title)


def test_a_utf16_feed_in_a_dat_file_is_sniffed(tmp_path):
    text = (HOSTILE / "entries.rss").read_text(encoding="utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    path = write(tmp_path, "feed16.dat", text.encode("utf-16"))
    assert sniff(path.read_bytes()) == "feed"
    assert len(pages(units(path))) == 4


def test_an_oversized_feed_entry_is_too_large(tmp_path):
    cfg = Config()
    cfg.read.max_record_bytes = 1000
    feed = write(tmp_path, "big.rss", '<?xml version="1.0"?><rss version="2.0"><channel><title>B</title>'
                 '<link>https://b.example/</link><item><title>Big</title><link>https://b.example/a</link>'
                 '<description>' + "word " * 1000 + '</description></item><item><title>Small</title>'
                 '<link>https://b.example/b</link><description>ok</description></item></channel></rss>')
    us = units(feed, cfg)
    assert reasons(us) == ["too_large"] and len(pages(us)) == 1


# ---------------------------------------------------------------------------- JSONL

def test_truncated_gzip_jsonl_at_every_cut(tmp_path):
    lines = [jsonl_record(story(i)) for i in range(3)]
    full = gzip.compress(b"".join(lines))
    for cut in range(0, len(full), 11):
        us = units(write(tmp_path, "cut.jsonl.gz", full[:cut]))
        got = [u.title for u in pages(us)]
        assert got == [story(i)["title"] for i in range(len(got))]      # a prefix, in order
        assert reasons(us) == (["empty_input"] if cut == 0 else ["decode_error"])


def test_truncated_gzip_jsonl_ref_names_the_first_lost_line(tmp_path):
    us = units(write(tmp_path, "cut.jsonl.gz", truncated_jsonl_gz([story(i) for i in range(4)])))
    assert len(pages(us)) == 3
    assert us[-1].reason == "decode_error" and us[-1].input_ref.endswith(":4")


def test_concatenated_gzip_members_are_all_read(tmp_path):
    data = gzip.compress(jsonl_record(story(0))) + gzip.compress(b"") + gzip.compress(
        jsonl_record(story(1)) + jsonl_record(story(2)))
    assert len(pages(units(write(tmp_path, "multi.jsonl.gz", data)))) == 3
    padded = write(tmp_path, "padded.jsonl.gz", gzip.compress(jsonl_record(story(0))) + b"\x00" * 512)
    assert reasons(units(padded)) == []
    junk = write(tmp_path, "junk.jsonl.gz", gzip.compress(jsonl_record(story(0))) + b"not gzip")
    assert reasons(units(junk)) == ["decode_error"]


def test_a_gzip_bomb_is_refused_quickly_in_bounded_memory(tmp_path):
    co = zlib.compressobj(9, zlib.DEFLATED, 31)
    bomb = b"".join(co.compress(b"\n" * (1 << 20)) for _ in range(120)) + co.flush()   # 120 MB of newlines
    cfg = Config()
    cfg.read.max_file_bytes = 5_000_000
    for name in ("bomb.jsonl.gz", "bomb.warc.gz"):
        path = write(tmp_path, name, bomb)
        tracemalloc.start()
        t0 = time.perf_counter()
        us = units(path, cfg)
        seconds = time.perf_counter() - t0
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert reasons(us) == ["too_large"] and seconds < 5 and peak < 50_000_000, (name, seconds, peak)


@pytest.mark.parametrize("data,expected", [
    (b"", ["empty_input"]),
    (b"\n\n  \r\n\n", ["empty_input"]),
    (b"[]\n", ["jsonl_invalid"]),
    (b'{"url": "https://x.example/a"}', ["jsonl_missing_body"]),
    (b'{"text": 5, "html": ["x"]}\n', ["jsonl_missing_body"]),
    (b'{"a": ' * 100_000 + b'1' + b'}' * 100_000 + b'\n', ["jsonl_invalid"]),    # deep nesting
    (b'\xef\xbb\xbf{"text": "with a BOM"}\n', []),
    (b'{"text": "crlf"}\r\n{"text": "lines"}\r\n', []),
])
def test_jsonl_edge_lines(tmp_path, data, expected):
    us = units(write(tmp_path, "edge.jsonl", data))
    assert reasons(us) == expected


def test_jsonl_line_over_the_record_limit(tmp_path):
    cfg = Config()
    cfg.read.max_record_bytes = 1_000
    data = jsonl_record(story(0)) + json.dumps({"text": "x" * 5000}).encode() + b"\n" + jsonl_record(story(1))
    us = units(write(tmp_path, "long.jsonl", data), cfg)
    assert [type(u).__name__ for u in us] == ["Page", "Reject", "Page"]
    assert us[1].reason == "too_large" and us[1].input_ref.endswith(":2")


def test_a_utf16_jsonl_export_is_read(tmp_path):
    data = (jsonl_record(story(0)) + jsonl_record(story(1))).decode().encode("utf-16")
    assert len(pages(units(write(tmp_path, "u16.jsonl", data)))) == 2


# ---------------------------------------------------------------------------- WARC

@pytest.mark.parametrize("gz", [True, False])
def test_truncated_warc_at_every_cut(tmp_path, gz):
    """Records before the cut are pages; a cut anywhere else leaves exactly one warc_truncated."""
    stories = [story(i) for i in range(3)]
    full, offsets = warc(stories, gz=gz)
    end_of_html = offsets[3]
    for cut in list(range(0, len(full), 13)) + [len(full)]:
        us = units(write(tmp_path, "cut.warc" + (".gz" if gz else ""), full[:cut]))
        got = [u.url for u in pages(us)]
        assert got == [url_of(s, "archive.example") for s in stories[:len(got)]]
        rs = reasons(us)
        if cut == 0:
            assert rs == ["empty_input"]
        elif cut == len(full):
            assert rs == [] and len(got) == 3
        else:
            # a cut between records (the blank lines of a plain WARC, or exactly on a gzip
            # member boundary) leaves a valid, shorter archive: no loss at all
            between = (cut in offsets) if gz else any(o - 4 <= cut <= o for o in offsets + [len(full)])
            assert rs == ["warc_truncated"] or (between and rs in ([], ["warc_empty"])), (cut, rs)
            if cut < end_of_html - 32:   # (a gzip member cut in its trailer still has its record)
                assert len(got) < 3


def test_warc_odd_archives(tmp_path):
    data, _ = warc([])
    assert reasons(units(write(tmp_path, "images.warc.gz", data))) == ["warc_empty"]
    assert reasons(units(write(tmp_path, "text.warc", "this is not an archive\n" * 20))) == ["warc_invalid"]
    assert reasons(units(write(tmp_path, "noise.warc", bytes(range(256)) * 4))) == ["warc_invalid"]


def test_a_warc_with_repeated_record_ids_keeps_both_units(tmp_path):
    data, _ = warc([story(0), story(1)], gz=False)
    import re
    ids = re.findall(rb"WARC-Record-ID: (<urn:uuid:[^>]+>)", data)
    data = data.replace(ids[1], ids[0])
    us = units(write(tmp_path, "dupids.warc", data))
    assert len(pages(us)) == 2


def test_warc_response_status_and_empty_body(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter
    import io
    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=True)
    for status, body in (("404 Not Found", b"<html>gone</html>"), ("200 OK", b""), ("abc", b"<p>x</p>")):
        h = StatusAndHeaders(status, [("Content-Type", "text/html")], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record("https://s.example/x", "response", payload=io.BytesIO(body),
                                            http_headers=h))
    us = units(write(tmp_path, "status.warc.gz", buf.getvalue()))
    assert sorted(reasons(us)) == ["empty_input", "http_404", "http_invalid"]


# ---------------------------------------------------------------------------- files, sniffing

@pytest.mark.parametrize("name,data,expected", [
    ("empty.html", b"", "empty_input"),
    ("blank.txt", b" \n\t\r\n", "empty_input"),
    ("png.html", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "not_html"),
    ("plain.html", b"just some words, no markup at all", "not_html"),
    ("nul.txt", b"abc\x00def" * 10, "decode_error"),
    ("elf.dat", b"\x7fELF" + bytes(range(256)), "unknown_kind"),
    ("gz.dat", gzip.compress(b"<rss version='2.0'></rss>"), "unknown_kind"),
])
def test_bad_files(tmp_path, name, data, expected):
    assert reasons(units(write(tmp_path, name, data))) == [expected]


def test_sniffing_unknown_extensions(tmp_path):
    assert sniff((HOSTILE / "entries.rss").read_bytes()) == "feed"
    assert sniff(warc([story(0)])[0]) == "warc"
    assert sniff(warc([story(0)], gz=False)[0]) == "warc"
    assert sniff((HOSTILE / "feed.json").read_bytes()) == "feed"
    assert sniff(jsonl_record(story(0))) == "jsonl"
    us = units(write(tmp_path, "w.dat", warc([story(0), story(1)])[0]))
    assert [u.source_kind for u in us] == ["warc", "warc"]


def test_too_large_is_decided_without_reading_the_whole_file(tmp_path):
    path = tmp_path / "big.html"
    with open(path, "wb") as fh:
        fh.truncate(60_000_000)                 # sparse: instant to make
    cfg = Config()
    cfg.read.max_file_bytes = 1_000_000
    t0 = time.perf_counter()
    assert reasons(units(path, cfg)) == ["too_large"]
    assert time.perf_counter() - t0 < 1


def test_long_single_line_files(tmp_path):
    [u] = units(write(tmp_path, "line.txt", "x" * 5_000_000))
    assert isinstance(u, Page) and len(u.title) == 5_000_000 and not u.text.strip()
    [u] = units(write(tmp_path, "line.jsonl", json.dumps({"text": "y " * 2_500_000})))
    assert isinstance(u, Page) and len(u.text) == 5_000_000


# ---------------------------------------------------------------------------- decode

ACCENTED = "Le café à Zürich — naïve façade, “quoted” text, 5 €; crème brûlée."


@pytest.mark.parametrize("data,declared,expected", [
    (ACCENTED.encode("cp1252"), "utf-8", ACCENTED),                 # cp1252 declared UTF-8
    (ACCENTED.encode("utf-8"), "windows-1252", ACCENTED),           # UTF-8 declared cp1252
    (ACCENTED.encode("cp1252"), None, ACCENTED),                    # undeclared
    ("Résumé".encode("cp1252"), None, "Résumé"),                    # too short to detect
    ("“Smart” quotes".encode("cp1252"), "iso-8859-1", "“Smart” quotes"),   # latin-1 means cp1252
    (ACCENTED.encode("utf-8") + b" stray \x92 byte", None, ACCENTED + " stray ’ byte"),
    ("Zażółć gęślą jaźń, powiedział prezydent w środę.".encode("cp1250"), None,
     "Zażółć gęślą jaźń, powiedział prezydent w środę."),
    ("Президент России заявил в среду.".encode("cp1251"), None, "Президент России заявил в среду."),
    ("hello".encode("utf-16-le"), "utf-16le", "hello"),
])
def test_decode(data, declared, expected):
    assert dec.decode(data, declared)[0] == expected


def test_decode_refuses_binary():
    with pytest.raises(dec.DecodeError):
        dec.decode(b"\x00\x01\x02" * 100)

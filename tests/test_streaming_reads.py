"""Streaming readers and ranges: archive files many times the reader's buffer, read whole or
cut into ranges (pipeline.sources.plan_input), give the same units with the same refs; a
damaged record costs that record only; crawler WARCs as they come; a 2-worker run on one
file keeps the accounting identity.  Files are generated in tmp_path."""
from __future__ import annotations

import gzip
import hashlib
import json
import zlib

import pytest

from pipeline import sources
from pipeline.config import Config
from pipeline.model import Page, Reject
from pipeline.sources import InputRange, InputSpec, plan_input, read_input, read_range
from tests.conftest import assert_accounting, last_summary, read_articles, read_rejects, run_cli

BUFFER = 4096


@pytest.fixture
def small_buffer(monkeypatch):
    """The reader's block size and inflate step down to 4 KiB: every file below is many buffers."""
    monkeypatch.setattr(sources, "_CHUNK", BUFFER)


def cfg(split_bytes: int = 0, **read) -> Config:
    c = Config()
    c.read.split_bytes = split_bytes
    for k, v in read.items():
        setattr(c.read, k, v)
    return c


def body(i: int) -> str:
    """About 4 KB of text that gzip cannot shrink much (hex digests between the words)."""
    return " ".join(f"Paragraph {i}.{j}: the council met on {hashlib.sha1(b'%d-%d' % (i, j)).hexdigest()}."
                    for j in range(60))


def record(i: int) -> bytes:
    return json.dumps({"url": f"https://stream.example/a/{i}", "text": body(i), "title": f"Story {i}"}).encode() + b"\n"


def refs(units):
    return [u.input_ref for u in units]


def by_ranges(path, config, kind=None):
    spec = InputSpec(str(path), kind or sources.kind_of(str(path)))
    ranges = plan_input(spec, config)
    return ranges, [u for r in ranges for u in read_range(r, config)]


# ------------------------------------------------------------------------------ JSONL

@pytest.mark.parametrize("gz", [False, True])
def test_jsonl_larger_than_the_buffer_reads_the_same_whole_and_in_ranges(tmp_path, small_buffer, gz):
    lines = []
    for i in range(300):
        lines.append(record(i))
        if i % 7 == 0:
            lines.append(b"\n  \n")                 # blank lines count as lines, not units
    data = b"".join(lines)
    path = tmp_path / ("big.jsonl.gz" if gz else "big.jsonl")
    path.write_bytes(gzip.compress(data) if gz else data)
    assert path.stat().st_size > 10 * BUFFER
    whole = list(read_input(InputSpec(str(path), "jsonl"), cfg()))
    assert len(whole) == 300 and all(isinstance(u, Page) for u in whole)
    # line numbers are those of the file
    numbered = [n + 1 for n, line in enumerate(data.split(b"\n")) if line.strip()]
    assert [int(r.rsplit(":", 1)[1]) for r in refs(whole)] == numbered
    ranges, parts = by_ranges(path, cfg(split_bytes=20_000))
    assert len(ranges) > 4
    if gz:
        assert len(ranges) <= sources.MAX_GZIP_RANGES
    assert refs(parts) == refs(whole)
    assert [u.title for u in parts] == [f"Story {i}" for i in range(300)]


def test_a_gzip_jsonl_cut_in_a_line_rejects_that_line_once_across_ranges(tmp_path, small_buffer):
    data = gzip.compress(b"".join(record(i) for i in range(200)))
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) * 2 // 3])
    whole = list(read_input(InputSpec(str(path), "jsonl"), cfg()))
    ranges, parts = by_ranges(path, cfg(split_bytes=20_000))
    assert len(ranges) > 2
    assert refs(parts) == refs(whole)
    rejects = [u for u in parts if isinstance(u, Reject)]
    assert [r.reason for r in rejects] == ["decode_error"]
    assert rejects[0].input_ref.endswith(f":{len(parts)}")


def test_a_gzip_bomb_in_a_jsonl_stream_is_too_large(tmp_path, small_buffer):
    co = zlib.compressobj(9, zlib.DEFLATED, 31)
    data = gzip.compress(record(0)) + b"".join(co.compress(b" " * (1 << 20)) for _ in range(40)) + co.flush()
    path = tmp_path / "bomb.jsonl.gz"
    path.write_bytes(data)
    us = list(read_input(InputSpec(str(path), "jsonl"), cfg(max_record_bytes=1_000_000)))
    assert [type(u).__name__ for u in us] == ["Page", "Reject"] and us[1].reason == "too_large"


def test_the_default_config_accepts_a_container_file_over_max_file_bytes(tmp_path):
    config = Config()
    line = json.dumps({"url": "https://big.example/a", "text": "word " * 100_000}).encode() + b"\n"
    path = tmp_path / "dump.jsonl"
    with open(path, "wb") as fh:
        for _ in range(config.read.max_file_bytes // len(line) + 5):
            fh.write(line)
    assert path.stat().st_size > config.read.max_file_bytes
    n = 0
    for r in plan_input(InputSpec(str(path), "jsonl"), config):
        for u in read_range(r, config):
            assert isinstance(u, Page), u
            n += 1
    assert n == config.read.max_file_bytes // len(line) + 5


# ------------------------------------------------------------------------------ WARC

def http_response(url: str, html: bytes, *, ctype="text/html; charset=utf-8", chunked=False, gzipped=False,
                  status="200 OK") -> bytes:
    payload = gzip.compress(html) if gzipped else html
    headers = [f"HTTP/1.1 {status}", f"Content-Type: {ctype}"]
    if gzipped:
        headers.append("Content-Encoding: gzip")
    if chunked:
        headers.append("Transfer-Encoding: chunked")
        chunks = [payload[i:i + 700] for i in range(0, len(payload), 700)]
        payload = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks) + b"0\r\n\r\n"
    else:
        headers.append(f"Content-Length: {len(payload)}")
    return ("\r\n".join(headers) + "\r\n\r\n").encode() + payload


def warc_record(kind: str, url: str, block: bytes, n: int, *, version="1.1", length=None, extra="") -> bytes:
    ctype = {"response": "application/http; msgtype=response", "request": "application/http; msgtype=request",
             "metadata": "application/warc-fields", "revisit": "application/http; msgtype=response",
             "warcinfo": "application/warc-fields"}[kind]
    head = (f"WARC/{version}\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{n:012d}>\r\n"
            f"WARC-Date: 2024-03-05T10:00:00Z\r\nWARC-Target-URI: {url}\r\nContent-Type: {ctype}\r\n{extra}"
            f"Content-Length: {len(block) if length is None else length}\r\n\r\n")
    return head.encode() + block + b"\r\n\r\n"


def page_html(i: int) -> bytes:
    return (f"<html><head><title>Crawled {i}</title></head><body><nav>Home | World</nav><article>"
            f"<h1>Crawled {i}</h1><p>{body(i)}</p></article><script>var x = {i};</script></body></html>").encode()


def crawl(n: int, *, version="1.1") -> list[bytes]:
    """Records as a crawler writes them: warcinfo, then request/response/metadata per page,
    a revisit every 5th page, an image now and then, WARC/1.0 and 1.1 mixed when asked."""
    recs = [warc_record("warcinfo", "", b"software: test-crawler\r\n", 0, version=version.replace("mixed", "1.0"))]
    for i in range(n):
        url = f"https://crawl.example/story/{i}"
        v = version if version != "mixed" else ("1.0" if i % 2 else "1.1")
        recs.append(warc_record("request", url, f"GET /story/{i} HTTP/1.1\r\nHost: crawl.example\r\n\r\n".encode(),
                                10 * i + 1, version=v))
        recs.append(warc_record("response", url, http_response(url, page_html(i), chunked=i % 3 == 1,
                                                              gzipped=i % 4 == 2), 10 * i + 2, version=v))
        recs.append(warc_record("metadata", url, b"outlinks: https://crawl.example/\r\n", 10 * i + 3, version=v))
        if i % 5 == 4:
            recs.append(warc_record("revisit", url, b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n",
                                    10 * i + 4, version=v,
                                    extra="WARC-Profile: http://netpreserve.org/warc/1.1/revisit/identical-payload-digest\r\n"))
        if i % 6 == 0:
            img = f"https://crawl.example/img/{i}.jpg"
            recs.append(warc_record("response", img, http_response(img, b"\xff\xd8\xff" + bytes(300),
                                                                  ctype="image/jpeg"), 10 * i + 5, version=v))
    return recs


def members(recs: list[bytes]) -> bytes:
    return b"".join(gzip.compress(r) for r in recs)


@pytest.mark.parametrize("version", ["1.0", "1.1", "mixed"])
def test_a_crawler_warc_gz_larger_than_the_buffer_reads_the_same_whole_and_in_ranges(tmp_path, small_buffer, version):
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(members(crawl(60, version=version)))
    assert path.stat().st_size > 10 * BUFFER
    whole = list(read_input(InputSpec(str(path), "warc"), cfg()))
    assert all(isinstance(u, Page) for u in whole), [u for u in whole if isinstance(u, Reject)]
    assert [u.url for u in whole] == [f"https://crawl.example/story/{i}" for i in range(60)]
    for i, u in enumerate(whole):                      # chunked and gzip payloads decoded
        assert f"Crawled {i}" in u.html and "Paragraph" in u.html
    ranges, parts = by_ranges(path, cfg(split_bytes=8_000))
    assert len(ranges) > 4 and all(r.seek == 0 or sources._is_warc_member(open(path, "rb"), r.seek) for r in ranges)
    assert refs(parts) == refs(whole)


def test_a_plain_crawler_warc_streams_too(tmp_path, small_buffer):
    path = tmp_path / "crawl.warc"
    path.write_bytes(b"".join(crawl(30)))
    whole = list(read_input(InputSpec(str(path), "warc"), cfg()))
    assert [u.url for u in whole] == [f"https://crawl.example/story/{i}" for i in range(30)]


def big_page_html(i: int, pad: int = 20_000) -> bytes:
    """A page with a large script (cheap to extract) and, in its text, what a plain WARC
    record header looks like: a reader cutting at `WARC/1.1` lines alone would cut there."""
    fake = ("\r\n\r\nWARC/1.1\r\nWARC-Type: response\r\nContent-Length: 12\r\n\r\n"
            "not a record\r\n\r\n")
    return page_html(i).replace(b"<script>", f"<pre>{fake}</pre><script>/* {'x' * pad} */".encode())


def big_crawl(n: int) -> list[bytes]:
    recs = crawl(n)
    out = []
    for r in recs:
        if b"WARC-Type: response" in r and b"/story/" in r:
            i = int(r.split(b"/story/")[1].split(b"\r")[0])
            url = f"https://crawl.example/story/{i}"
            r = warc_record("response", url, http_response(url, big_page_html(i)), 10 * i + 2)
        out.append(r)
    return out


def test_a_plain_warc_is_cut_at_record_starts_and_every_record_is_read_once(tmp_path, small_buffer):
    path = tmp_path / "crawl.warc"
    path.write_bytes(b"".join(big_crawl(150)))
    assert path.stat().st_size > 3_000_000
    whole = list(read_input(InputSpec(str(path), "warc"), cfg()))
    assert [u.url for u in whole] == [f"https://crawl.example/story/{i}" for i in range(150)]
    ranges, parts = by_ranges(path, cfg(split_bytes=100_000))
    assert len(ranges) > 25
    data = path.read_bytes()
    starts = {0}
    for r in big_crawl(150):                                # the true record starts
        starts.add(data.index(r, max(starts)))
    assert all(r.seek in starts for r in ranges), [r.seek for r in ranges if r.seek not in starts]
    assert [r.seek + r.length for r in ranges[:-1]] == [r.seek for r in ranges[1:]]
    assert refs(parts) == refs(whole)
    assert all(isinstance(u, Page) for u in parts)


def test_a_single_member_warc_gz_is_one_range(tmp_path):
    path = tmp_path / "one-member.warc.gz"
    path.write_bytes(gzip.compress(b"".join(crawl(40))))
    assert plan_input(InputSpec(str(path), "warc"), cfg(split_bytes=10_000)) == [InputRange(InputSpec(str(path), "warc"))]


@pytest.mark.parametrize("gz", [False, True])
def test_a_split_warc_without_html_records_counts_its_records_in_every_range(tmp_path, gz):
    recs = [r for r in crawl(80) if b"text/html" not in r]
    path = tmp_path / ("images.warc" + (".gz" if gz else ""))
    path.write_bytes(members(recs) if gz else b"".join(recs))
    config = cfg(split_bytes=4_000)
    spec = InputSpec(str(path), "warc")
    ranges = plan_input(spec, config)
    assert len(ranges) > 3
    tally: dict = {}
    assert [u for r in ranges for u in read_range(r, config, tally=tally)] == []
    assert tally["records"] == len(recs)
    [whole] = list(read_input(spec, cfg()))
    assert whole.reason == "warc_empty" and f"among {len(recs)} records" in whole.detail


def test_a_record_cut_in_the_middle_is_rejected_and_reading_goes_on(tmp_path, small_buffer):
    recs = crawl(12)
    cut_at = next(k for k, r in enumerate(recs) if b"WARC-Type: response" in r and b"story/5" in r)
    whole = recs[cut_at]
    recs[cut_at] = whole[: len(whole) // 2]           # payload shorter than its Content-Length
    corrupt_at = next(k for k, r in enumerate(recs) if b"WARC-Type: response" in r and b"story/8" in r)
    data = b""
    for k, r in enumerate(recs):
        member = gzip.compress(r)
        if k == corrupt_at:                            # a damaged gzip member: bytes flipped inside
            member = member[:40] + bytes(b ^ 0x5A for b in member[40:80]) + member[80:]
        data += member
    path = tmp_path / "damaged.warc.gz"
    path.write_bytes(data)
    us = list(read_input(InputSpec(str(path), "warc"), cfg()))
    got = [u.url for u in us if isinstance(u, Page)]
    assert got == [f"https://crawl.example/story/{i}" for i in range(12) if i not in (5, 8)]
    rejects = [u for u in us if isinstance(u, Reject)]
    assert [r.reason for r in rejects] == ["warc_truncated", "warc_truncated"]
    assert "00000000-0000-0000-0000-000000000052" in rejects[0].input_ref     # the cut record itself
    assert len(set(refs(us))) == len(us)
    ranges, parts = by_ranges(path, cfg(split_bytes=6_000))
    assert len(ranges) > 2 and refs(parts) == refs(us)


def test_a_truncated_payload_marked_by_the_crawler_is_rejected(tmp_path):
    url = "https://crawl.example/long"
    rec = warc_record("response", url, http_response(url, page_html(1)), 7,
                      extra="WARC-Truncated: length\r\n")
    path = tmp_path / "trunc.warc.gz"
    path.write_bytes(members([rec] + crawl(1)[1:]))
    us = list(read_input(InputSpec(str(path), "warc"), cfg()))
    assert [getattr(u, "reason", "page") for u in us] == ["warc_truncated", "page"]


def test_a_warc_bomb_member_is_too_large_and_the_next_records_are_read(tmp_path, small_buffer):
    co = zlib.compressobj(9, zlib.DEFLATED, 31)
    bomb = co.compress(b"WARC/1.1\r\nWARC-Type: resource\r\nContent-Length: 50000000\r\n\r\n")
    bomb += b"".join(co.compress(b"\0" * (1 << 20)) for _ in range(48)) + co.flush()
    path = tmp_path / "bomb.warc.gz"
    path.write_bytes(members(crawl(2)) + bomb + members(crawl(3)[1:]))
    us = list(read_input(InputSpec(str(path), "warc"), cfg(max_record_bytes=1_000_000)))
    assert [getattr(u, "reason", "page") for u in us] == ["page", "page", "too_large", "page", "page", "page"]


# ------------------------------------------------------------------------------ redistribution

def test_two_workers_on_one_file_keep_the_accounting_identity(tmp_path):
    """multi_processing, 2 workers, ONE JSONL file cut into ranges; a second run over the
    same file and more finds every earlier article already present."""
    lines = [record(i) for i in range(120)]
    lines[17] = b"not json\n"
    lines[60] = lines[59]                               # a duplicate within the run
    path = tmp_path / "in" / "one.jsonl"
    path.parent.mkdir()
    path.write_bytes(b"".join(lines))
    config = tmp_path / "c.yaml"
    config.write_text("read:\n  split_bytes: 20000\n")
    out = tmp_path / "out"
    args = ["--input", str(path), "--output", str(out), "--config", str(config), "--no-entities",
            "--no-dates", "--direct_running_mode=multi_processing", "--direct_num_workers=2"]
    assert run_cli(*args) == 0
    s = last_summary(out)
    assert_accounting(s)
    assert s["seen"]["total"] == 120 and s["written"]["total"] == 118
    assert s["duplicates"]["total"] == 1 and s["rejected"]["total"] == 1
    assert s["stages"]["plan"]["ranges"] > 4              # the one file was read as ranges
    refs_written = read_articles(out).column("input_ref").to_pylist()
    assert len(refs_written) == len(set(refs_written)) == 118
    with open(path, "ab") as fh:
        fh.write(record(500))
    assert run_cli(*args) == 0
    s = last_summary(out)
    assert_accounting(s)
    assert s["seen"]["total"] == 121 and s["written"]["total"] == 1
    assert s["already_present"]["total"] == 119 and s["rejected"]["total"] == 1


def test_two_workers_on_split_warcs_keep_the_accounting_identity(tmp_path):
    """A multi-MB plain WARC and a WARC.gz with no HTML record, each cut into ranges and
    read by 2 workers: every record once, and the empty archive is one warc_empty."""
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "crawl.warc").write_bytes(b"".join(big_crawl(60)))
    (inp / "images.warc.gz").write_bytes(members([r for r in crawl(80) if b"text/html" not in r]))
    config = tmp_path / "c.yaml"
    config.write_text("read:\n  split_bytes: 100000\n")
    out = tmp_path / "out"
    assert run_cli("--input", str(inp), "--output", str(out), "--config", str(config), "--no-entities",
                   "--no-dates", "--direct_running_mode=multi_processing", "--direct_num_workers=2") == 0
    s = last_summary(out)
    assert_accounting(s)
    assert s["stages"]["plan"]["ranges"] > 10
    assert s["seen"]["total"] == 61 and s["written"]["total"] == 60 and s["rejected"]["total"] == 1
    urls = read_articles(out).column("url").to_pylist()
    assert sorted(urls) == sorted(f"https://crawl.example/story/{i}" for i in range(60))
    [rej] = read_rejects(out).to_pylist()
    assert rej["reason"] == "warc_empty" and rej["input_ref"].endswith("images.warc.gz")


def test_read_spread_and_split_bytes_are_checked():
    from pipeline.config import ConfigError, from_mapping
    with pytest.raises(ConfigError, match="read.spread"):
        from_mapping({"read": {"spread": "everywhere"}}).validate()
    with pytest.raises(ConfigError, match="split_bytes"):
        from_mapping({"read": {"split_bytes": -1}}).validate()
    assert from_mapping({"read": {"split_bytes": 0, "spread": "pages"}}).validate().read.split_bytes == 0

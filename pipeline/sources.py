"""Inputs: which files a run reads, what kind each is, and how each yields input units.

`expand_inputs` runs when the pipeline is built (globs, directories, URLs) and fails
with InputError for an input given explicitly that does not exist.  The readers are
generators of Page (one per input unit) or Reject (a unit that could not be read);
the Beam DoFn in transforms/steps.py only routes and counts them.

Every file yields at least one unit, and every unit has its own input_ref: an empty
or unreadable file is one Reject, a damaged archive keeps what comes before the
damage and adds one Reject for the rest (decode_error for gzip JSONL, warc_truncated),
gzip is inflated in bounded chunks (all members; a bomb is too_large).
"""
from __future__ import annotations

import codecs
import datetime as dt
import io
import json
import os
import re
import zlib
from dataclasses import dataclass
from urllib.parse import urlsplit

from apache_beam.io.filesystems import FileSystems

from pipeline import decode as dec
from pipeline.config import Config
from pipeline.model import Page, Reject
from transforms.ids import source_of

KIND_BY_SUFFIX = [
    (".jsonl.gz", "jsonl"), (".ndjson.gz", "jsonl"), (".warc.gz", "warc"),
    (".jsonl", "jsonl"), (".ndjson", "jsonl"), (".warc", "warc"), (".txt", "text"),
    (".html", "html"), (".htm", "html"), (".xhtml", "html"), (".xml", "feed"), (".rss", "feed"),
    (".atom", "feed"), (".opml", "opml"), (".json", "auto"),
]
# Unit kind recorded on articles/rejects for each file kind.
UNIT_KIND = {"jsonl": "jsonl", "warc": "warc", "text": "text", "html": "html", "feed": "feed",
             "opml": "feed", "feed_url": "feed", "auto": "text"}


class InputError(ValueError):
    """An input given explicitly is missing or unreadable: one line, exit status 2."""


@dataclass(frozen=True)
class InputSpec:
    path: str          # file path, remote path or URL
    kind: str          # text | html | feed | opml | jsonl | warc | feed_url | auto


def kind_of(path: str) -> str:
    lower = path.lower()
    for suffix, kind in KIND_BY_SUFFIX:
        if lower.endswith(suffix):
            return kind
    return "auto"


def _is_remote(path: str) -> bool:
    return "://" in path and not path.startswith("file://")


def expand_inputs(inputs: list[str]) -> list[InputSpec]:
    """Files, directories (recursively), globs and URLs -> a sorted list of InputSpecs."""
    specs: list[InputSpec] = []
    for raw in inputs:
        item = raw.strip()
        if not item:
            raise InputError("empty --input")
        scheme = urlsplit(item).scheme.lower()
        if scheme in ("http", "https"):
            specs.append(InputSpec(item, "feed_url"))
            continue
        if item.startswith("file://"):
            item = item[len("file://"):]
        if _is_remote(item):
            pattern = item.rstrip("/") + "/**" if item.endswith("/") else item
            try:
                found = [m.path for r in FileSystems.match([pattern]) for m in r.metadata_list]
            except Exception as e:  # beam raises BeamIOError with the underlying cause
                raise InputError(f"input {raw}: {e}") from None
            if not found:
                raise InputError(f"input {raw}: no files match")
            specs.extend(InputSpec(p, kind_of(p)) for p in sorted(found))
            continue
        if os.path.isdir(item):
            found = []
            for root, dirs, files in os.walk(item):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found.extend(os.path.join(root, f) for f in files if not f.startswith("."))
            if not found:
                raise InputError(f"input {raw}: directory has no files")
            specs.extend(InputSpec(p, kind_of(p)) for p in sorted(found))
        elif os.path.isfile(item):
            if not os.access(item, os.R_OK):
                raise InputError(f"input {raw}: not readable")
            specs.append(InputSpec(item, kind_of(item)))
        elif any(ch in item for ch in "*?["):
            import glob
            found = sorted(p for p in glob.glob(item, recursive=True) if os.path.isfile(p))
            if not found:
                raise InputError(f"input {raw}: no files match")
            specs.extend(InputSpec(p, kind_of(p)) for p in found)
        else:
            raise InputError(f"input {raw}: no such file or directory")
    seen, unique = set(), []
    for s in specs:
        if s.path not in seen:
            seen.add(s.path)
            unique.append(s)
    return unique


# --------------------------------------------------------------------------------------
# Reading: every generator yields Page or Reject, one per input unit.


def _reject(ref, kind, reason, detail="", raw=None, stage="read"):
    return Reject(ref, UNIT_KIND.get(kind, kind), stage, reason, detail, raw,
                  dt.datetime.now(dt.timezone.utc))


def read_bytes(path: str, limit: int) -> bytes:
    """Whole file (plain bytes, no decompression), refusing files over `limit`.

    A local file's size is checked first; then the file is read in blocks, since one
    read(limit + 1) would allocate `limit` bytes even for a tiny file.
    """
    if not _is_remote(path) and os.path.getsize(path) > limit:
        raise OverflowError(f"file over {limit} bytes")
    parts, size = [], 0
    with FileSystems.open(path, compression_type="uncompressed") as fh:
        while size <= limit:
            block = fh.read(min(1 << 20, limit + 1 - size))
            if not block:
                break
            parts.append(block)
            size += len(block)
    if size > limit:
        raise OverflowError(f"file over {limit} bytes")
    return b"".join(parts)


def sniff(data: bytes) -> str:
    """Kind of a file whose name does not tell."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        head = data[:4096].decode("utf-16", "replace").encode("utf-8", "replace")
        kind = sniff(head)
        return kind if kind in ("feed", "opml", "html", "text") else "text"
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if data[:2] == b"\x1f\x8b":
        try:
            inner = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data[:65536], 4096)
        except zlib.error:
            return "unknown"
        kind = sniff(inner)
        return kind if kind in ("warc", "jsonl") else "unknown"
    if head.startswith(b"warc/"):
        return "warc"
    if head.startswith(b"{"):
        if b"jsonfeed.org/version" in data[:4096]:
            return "feed"
        return "jsonl"
    if re.match(rb"\[\s*[{\[\]]", head):
        return "jsonl"             # a JSON array: its lines are rejected, not written as a scrape
    if b"<opml" in head:
        return "opml"
    if re.search(rb"<(rss|feed|rdf:rdf)[\s>]", head):
        return "feed"
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head or b"<body" in head:
        return "html"
    if dec.looks_binary(data):
        return "unknown"
    return "text"


def read_input(spec: InputSpec, config: Config, fetcher=None):
    """All units of one input. Never raises for bad content: bad content is a Reject."""
    kind = spec.kind
    ref = spec.path
    if kind == "feed_url":
        yield from read_feed_url(ref, fetcher, config)
        return
    limit = config.read.max_file_bytes
    try:
        data = read_bytes(ref, limit)
    except OverflowError as e:
        yield _reject(ref, kind, "too_large", str(e))
        return
    except (OSError, IOError) as e:
        yield _reject(ref, kind, "read_error", f"{type(e).__name__}: {e}"[:300])
        return
    if kind == "auto":
        kind = sniff(data)
        if kind == "unknown":
            yield _reject(ref, "text", "unknown_kind", "not a known input format")
            return
    reader = READERS[kind]
    try:
        yield from reader(ref, data, config, fetcher)
    except Exception as e:  # a reader bug: the file still ends as a row (tests look for these)
        yield _reject(ref + "#read-error", kind, "read_failed", f"{type(e).__name__}: {e}"[:300])


def _text_units(ref, data, config, fetcher=None):
    if not data.strip():
        yield _reject(ref, "text", "empty_input", "file is empty")
        return
    try:
        text, _ = dec.decode(data)
    except dec.DecodeError as e:
        yield _reject(ref, "text", "decode_error", str(e))
        return
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    idx = next((i for i, line in enumerate(lines) if line.strip()), None)
    if idx is None:
        yield _reject(ref, "text", "empty_input", "only white space")
        return
    title = lines[idx].strip()
    yield Page(input_ref=ref, source_kind="text", source=_file_source(ref), title=title,
               text="\n".join(lines[idx + 1:]))


def _html_units(ref, data, config, fetcher=None):
    if not data.strip():
        yield _reject(ref, "html", "empty_input", "file is empty")
        return
    try:
        html, _ = dec.decode(data)
    except dec.DecodeError as e:
        yield _reject(ref, "html", "not_html", str(e))
        return
    if "<" not in html[:65536]:
        yield _reject(ref, "html", "not_html", "no markup in the first 64 KiB", raw=html)
        return
    url = _html_url(html)
    yield Page(input_ref=ref, source_kind="html", url=url,
               source=source_of(url) or _file_source(ref), html=html)


_CANONICAL = re.compile(r"""<link[^>]+rel=["']canonical["'][^>]*>""", re.I)
_OG_URL = re.compile(r"""<meta[^>]+property=["']og:url["'][^>]*>""", re.I)
_HREF = re.compile(r"""(?:href|content)=["']([^"']+)["']""", re.I)


def _html_url(html: str) -> str | None:
    """A saved page's own URL from rel=canonical or og:url, when it has one."""
    head = html[:65536]
    for rx in (_CANONICAL, _OG_URL):
        m = rx.search(head)
        if m:
            h = _HREF.search(m.group(0))
            if h and h.group(1).lower().startswith(("http://", "https://")):
                return h.group(1).strip()
    return None


def _file_source(ref: str) -> str:
    name = os.path.basename(ref.rstrip("/")) or ref
    return name.split(".")[0] or name


# Decompressed bytes allowed per compressed byte of a .gz input before the rest of the
# file is refused (too_large): text compresses 5-10x, a gzip bomb ~1000x.
MAX_INFLATE_RATIO = 32
_CHUNK = 1 << 16


class _GzipDamage(Exception):
    """The gzip stream ends early or is corrupt (reason decode_error / warc_truncated)."""


class _Inflated(Exception):
    """Decompressed output over the limit (reason too_large)."""


def _is_gzip(data: bytes) -> bool:
    return data[:2] == b"\x1f\x8b"


def _inflate(data: bytes, limit: int):
    """Decompressed pieces of a gzip file, every member (concatenated .gz files are common).

    Memory stays at about one chunk whatever the ratio; raises _GzipDamage for a truncated
    or corrupt stream and _Inflated past `limit` bytes of output, after the pieces before.
    """
    mv, pos, total, n = memoryview(data), 0, 0, len(data)
    while pos < n:
        if not bytes(mv[pos:pos + 64]).strip(b"\x00 \t\r\n"):
            rest = bytes(mv[pos:]).strip(b"\x00 \t\r\n")
            if not rest:
                return                 # padding after the last member
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            while not d.eof:
                if pos >= n:
                    raise _GzipDamage("gzip stream truncated")
                chunk = mv[pos:pos + _CHUNK]
                pos += len(chunk)
                out = d.decompress(chunk, _CHUNK)
                while True:
                    total += len(out)
                    if total > limit:
                        raise _Inflated(f"decompresses to over {limit} bytes")
                    if out:
                        yield out
                    if d.eof or not d.unconsumed_tail:
                        break
                    out = d.decompress(d.unconsumed_tail, _CHUNK)
        except zlib.error as e:
            raise _GzipDamage(f"corrupt gzip: {e}") from None
        pos -= len(d.unused_data)


def _lines(pieces, max_line: int):
    """(line number, line bytes or None when over max_line, length) for the lines of `pieces`.

    A line over max_line is counted, not kept; runs of blank lines cost no Python loop.
    Raises what `pieces` raises, with the incomplete last line (if any) dropped: it
    belongs to the damaged part of the file.
    """
    carry, size, lineno = [], 0, 0
    for piece in pieces:
        parts = piece.split(b"\n")
        size += len(parts[0])
        if size <= max_line:
            carry.append(parts[0])
        else:
            carry = []
        if len(parts) == 1:
            continue
        lineno += 1
        yield lineno, (b"".join(carry) if size <= max_line else None), size
        middle = parts[1:-1]
        if middle and not piece.strip():
            lineno += len(middle)          # blank lines only
        else:
            for part in middle:
                lineno += 1
                yield lineno, (part if len(part) <= max_line else None), len(part)
        size = len(parts[-1])
        carry = [parts[-1]] if size <= max_line else []
    if size:
        lineno += 1
        yield lineno, (b"".join(carry) if size <= max_line else None), size


def _chunks(data: bytes):
    return (data[i:i + _CHUNK] for i in range(0, len(data), _CHUNK))


def _jsonl_units(ref, data, config, fetcher=None):
    if not data.strip():
        yield _reject(ref, "jsonl", "empty_input", "file is empty")
        return
    max_line = config.read.max_record_bytes
    if _is_gzip(data):
        pieces = _inflate(data, max(len(data) * MAX_INFLATE_RATIO, config.read.max_file_bytes))
    else:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE,
                            codecs.BOM_UTF32_BE)):
            data, _ = dec.decode(data)       # JSON Lines is UTF-8; a UTF-16 export is read too
            data = data.encode("utf-8")
        pieces = _chunks(data)
    units = 0
    lineno = 0
    try:
        for lineno, raw, size in _lines(pieces, max_line):
            if raw is not None and not raw.strip():
                continue
            units += 1
            yield _jsonl_unit(f"{ref}:{lineno}", raw, size, ref, max_line)
    except _GzipDamage as e:
        units += 1
        yield _reject(f"{ref}:{lineno + 1}", "jsonl", "decode_error",
                      f"{e}; the lines after line {lineno} are lost")
    except _Inflated as e:
        units += 1
        yield _reject(f"{ref}:{lineno + 1}", "jsonl", "too_large",
                      f"{e}; the lines after line {lineno} are not read")
    if not units:
        yield _reject(ref, "jsonl", "empty_input", "no records, only blank lines")


def _jsonl_unit(uref, raw, size, ref, max_line):
    if raw is None:
        return _reject(uref, "jsonl", "too_large", f"line of {size} bytes (limit {max_line})")
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    try:
        rec = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError) as e:
        return _reject(uref, "jsonl", "jsonl_invalid", f"{type(e).__name__}: {e}"[:200],
                       raw=raw[:2000].decode("utf-8", "replace"))
    if not isinstance(rec, dict):
        return _reject(uref, "jsonl", "jsonl_invalid", "line is not a JSON object",
                       raw=raw[:2000].decode("utf-8", "replace"))
    html, text = rec.get("html"), rec.get("text")
    url = rec.get("url") if isinstance(rec.get("url"), str) else None
    use_html = isinstance(html, str) and bool(html.strip())
    if not use_html and not (isinstance(text, str) and text.strip()):
        return _reject(uref, "jsonl", "jsonl_missing_body", "record has neither html nor text")
    pub = rec.get("published")
    authors = rec.get("authors") if isinstance(rec.get("authors"), list) else []
    title = rec.get("title") if isinstance(rec.get("title"), str) else None
    src = rec.get("source") if isinstance(rec.get("source"), str) else None
    return Page(input_ref=uref, source_kind="jsonl", url=url,
                source=src or source_of(url) or _file_source(ref),
                html=html if use_html else None, text=None if use_html else text,
                title=title, authors=[a for a in authors if isinstance(a, str)],
                published=pub if isinstance(pub, str) else None,
                published_source="feed" if isinstance(pub, str) else None)


_WARC_TYPES = {"warcinfo", "response", "resource", "request", "metadata", "revisit", "conversion",
               "continuation"}


def _warc_units(ref, data, config, fetcher=None):
    """One Page per HTML response record; a cut or corrupt archive ends in one reject.

    A record whose bytes end before its Content-Length is the cut: it is the
    warc_truncated reject, the records before it are written.
    """
    from warcio.archiveiterator import ArchiveIterator
    if not data.strip():
        yield _reject(ref, "warc", "empty_input", "file is empty")
        return
    damage = None
    if _is_gzip(data):
        try:
            for _ in _inflate(data, max(len(data) * MAX_INFLATE_RATIO, config.read.max_file_bytes)):
                pass
        except _Inflated as e:
            yield _reject(ref, "warc", "too_large", str(e))
            return
        except _GzipDamage as e:
            damage = str(e)
    limit = config.read.max_record_bytes
    refs, units, records, end = set(), 0, 0, 0
    failure = None
    it = ArchiveIterator(io.BytesIO(data), arc2warc=True)
    try:
        for record in it:
            length = record.rec_headers.get_header("Content-Length") or ""
            if record.rec_type not in _WARC_TYPES or (record.format.startswith("warc")
                                                      and not length.strip().isdigit()):
                failure = f"record {records + 1}: header cut short or not a WARC record header"
                break
            records += 1
            page = None
            if record.rec_type == "response":
                http = record.http_headers
                ctype = (http.get_header("Content-Type") if http else "") or ""
                if "html" in ctype.lower():     # images, scripts...: not articles, not units
                    page = _warc_page(record, ref, ctype, limit, refs)
            it.read_to_end()
            if getattr(record.raw_stream, "limit", 0) > 0:
                failure = f"record {records} ends {record.raw_stream.limit} bytes early"
                if page is not None:      # the cut record is the one reject
                    units += 1
                    yield _reject(page.input_ref, "warc", "warc_truncated", failure)
                    failure = damage = None
                break
            end = it.get_record_offset() + it.get_record_length()
            if page is not None:
                units += 1
                yield page
        else:
            if data[end:].strip(b" \t\r\n\x00"):   # warcio stops quietly on a cut header
                failure = f"{len(data) - end} unreadable bytes after record {records}"
    except Exception as e:  # warcio raises assorted errors on truncated/corrupt archives
        failure = f"{type(e).__name__}: {e}"[:300]
    if failure and not records and not damage \
            and not data.lstrip()[:5].upper().startswith((b"WARC/", b"FILED")):
        yield _reject(ref, "warc", "warc_invalid", f"not a WARC/ARC archive: {failure}")
        return
    failure = "; ".join(x for x in (damage, failure) if x)
    if failure:
        units += 1
        yield _reject(f"{ref}#after-record-{records}", "warc", "warc_truncated", failure)
    elif not units:
        yield _reject(ref, "warc", "warc_empty", f"no HTML response records among {records} records")


def _warc_page(record, ref, ctype, limit, refs):
    """Page or Reject for one HTML response record (reads at most limit + 1 payload bytes)."""
    http = record.http_headers
    rid = record.rec_headers.get_header("WARC-Record-ID") or f"#{len(refs) + 1}"
    uri = record.rec_headers.get_header("WARC-Target-URI")
    wdate = record.rec_headers.get_header("WARC-Date")
    uref = base = f"{ref}#{rid.strip('<>')}" + (f"@{wdate}" if wdate else "")
    n = 1
    while uref in refs:               # a repeated record id must not merge two units
        n += 1
        uref = f"{base}~{n}"
    refs.add(uref)
    status = http.get_statuscode() if http else "200"
    try:
        payload = record.content_stream().read(limit + 1)
    except Exception as e:  # bad chunked or content encoding: this record only
        return _reject(uref, "warc", "warc_record_invalid", f"{type(e).__name__}: {e}"[:300])
    if len(payload) > limit:
        return _reject(uref, "warc", "too_large", f"record over {limit} bytes")
    status = str(status or "200").strip()
    if not re.fullmatch(r"[1-5]\d\d", status):
        return _reject(uref, "warc", "http_invalid", f"archived response status {status[:40]!r} for {uri}")
    if not status.startswith("2"):
        return _reject(uref, "warc", f"http_{status}", f"archived response status {status} for {uri}")
    if not payload.strip():
        return _reject(uref, "warc", "empty_input", f"empty response body for {uri}")
    try:
        html, _ = dec.decode(payload, dec.charset_of(ctype))
    except dec.DecodeError as e:
        return _reject(uref, "warc", "not_html", str(e))
    return Page(input_ref=uref, source_kind="warc", url=uri, source=source_of(uri), html=html)


def _feed_units(ref, data, config, fetcher=None, kind="feed"):
    from pipeline.feeds import parse_feed
    yield from parse_feed(ref, data, config)


def read_feed_url(url, fetcher, config):
    from pipeline.feeds import parse_feed
    from pipeline.fetch import FetchError
    if fetcher is None or not config.fetch.enabled:
        yield _reject(url, "feed", "fetch_disabled", "fetching is switched off in the config")
        return
    state = getattr(fetcher, "state", None)     # pipeline.state.FeedState: conditional GET, backoff
    try:
        if state is not None:
            from pipeline.state import read_polled_feed
            yield from read_polled_feed(url, fetcher, state,
                                        lambda r: parse_feed(url, r.body, config, base_url=r.url))
            return
        resp = fetcher.get(url)
    except FetchError as e:
        yield _reject(url, "feed", e.reason, e.detail, stage="fetch")
        return
    yield from parse_feed(url, resp.body, config, base_url=resp.url)


def _opml_units(ref, data, config, fetcher=None):
    from pipeline.feeds import opml_feeds
    feeds = opml_feeds(data)
    if feeds is None:
        yield _reject(ref, "feed", "opml_malformed", "not a readable OPML document")
        return
    if not feeds:
        yield _reject(ref, "feed", "opml_empty", "no xmlUrl outlines")
        return
    for url in feeds:
        yield from read_feed_url(url, fetcher, config)


READERS = {"text": _text_units, "html": _html_units, "jsonl": _jsonl_units, "warc": _warc_units,
           "feed": _feed_units, "opml": _opml_units}

__all__ = ["InputSpec", "InputError", "expand_inputs", "read_input", "kind_of", "sniff"]

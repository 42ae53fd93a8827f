"""Inputs: which files a run reads, what kind each is, and how each yields input units.

`expand_inputs` runs when the pipeline is built (globs, directories, URLs) and fails
with InputError for an input given explicitly that does not exist.  `plan_input` cuts a
large JSONL, WARC or WARC.gz file into InputRanges at unit boundaries (the Plan step), so
that after a shuffle of these small descriptions every worker reads its own part of one
file; the ranges of a WARC report their counts, so that one with no unit at all is still
one warc_empty (empty_archive).
The readers are generators of Page (one per input unit) or Reject (a unit that could not
be read); the Beam DoFns in transforms/steps.py only route and count them.

Every reader streams from a Beam FileSystems handle: container files (JSONL, WARC) are
read block by block and never refused for their size, so memory follows the largest unit
(read.max_record_bytes), not the file; single documents (HTML, text, feeds, OPML) are read
whole up to read.max_file_bytes.  Gzip is inflated in bounded chunks, every member, with
at most MAX_INFLATE_RATIO output bytes per input byte beyond one unit's worth (a bomb is
too_large).  Every file yields at least one unit, and every unit has its own input_ref:
an empty or unreadable file is one Reject; a damaged JSONL.gz keeps what comes before the
damage and adds one decode_error for the rest; a damaged WARC.gz record is one
warc_truncated and reading goes on with the next gzip member.
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
# Ranges: the part of one input file that one worker reads.


@dataclass(frozen=True)
class InputRange:
    """The units of one input whose first byte lies in one part of the file.

    Reading starts at byte `seek` of the file; a gzip JSONL stream cannot be entered in
    the middle, so its ranges inflate from the start and drop `skip` decompressed bytes.
    `length` bytes are read (decompressed for JSONL, of the file for WARC.gz), all of
    them when None; `line` lines come before the range (JSONL line numbers stay exact).
    """
    spec: InputSpec
    index: int = 0
    count: int = 1
    seek: int = 0
    skip: int = 0
    length: int | None = None
    line: int = 0

    @property
    def whole(self) -> bool:
        return self.count == 1


# Every range of a gzip JSONL file inflates what comes before it, so such a file is cut
# into at most this many ranges: the extra inflation stays a small share of the work.
MAX_GZIP_RANGES = 16
_HEAD = 1 << 16
_CHUNK = 1 << 16
_GZIP_MAGIC = b"\x1f\x8b\x08"
_PAD = b"\x00 \t\r\n"
_WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def file_size(path: str) -> int:
    if not _is_remote(path):
        return os.path.getsize(path)
    return FileSystems.match([path])[0].metadata_list[0].size_in_bytes


def plan_input(spec: InputSpec, config: Config) -> list[InputRange]:
    """The ranges of one input: a JSONL, WARC or WARC.gz file over read.split_bytes is cut
    at unit boundaries (lines, WARC records, gzip members that start a WARC record) so that its units can
    be spread over all workers; everything else is one range. Never raises: when a file
    cannot be planned it is one range, and its reader reports what is wrong."""
    whole = [InputRange(spec)]
    step = config.read.split_bytes
    if step <= 0 or spec.kind not in ("jsonl", "warc"):
        return whole
    try:
        size = file_size(spec.path)
        if size <= step:
            return whole
        with FileSystems.open(spec.path, compression_type="uncompressed") as fh:
            head = fh.read(_HEAD)
            fh.seek(0)
            if spec.kind == "jsonl":
                return _plan_jsonl(spec, fh, head, step, config) or whole
            if _is_gzip(head):
                return _plan_warc_gz(spec, fh, size, step) or whole
            if head.startswith(b"WARC/"):
                return _plan_warc(spec, fh, size, step) or whole
    except Exception:  # planning only spreads work: the reader reports a bad file
        pass
    return whole


def _plan_jsonl(spec, fh, head, step, config):
    """Cut points at line starts about every `step` (decompressed) bytes, with line counts."""
    if head.startswith(_WIDE_BOMS):
        return None
    gz = _is_gzip(head)
    raw = _Raw(fh, 0, None)
    pieces = _inflate(raw, config.read.max_record_bytes) if gz else _blocks(raw)
    cuts, base, lines, nxt, ink = [], 0, 0, step, False
    try:
        for piece in pieces:
            n = len(piece)
            while base + n > nxt:
                i = piece.find(b"\n", max(0, nxt - base))
                if i < 0:
                    break
                cut = base + i + 1
                cuts.append((cut, lines + piece.count(b"\n", 0, i + 1)))
                nxt = cut + step
            lines += piece.count(b"\n")
            ink = ink or bool(piece.strip())
            base += n
    except (_GzipDamage, _Inflated):
        pass                                    # the last range meets it and reports it
    cuts = [c for c in cuts if c[0] < base]
    if not cuts or not ink:
        return None
    if gz and len(cuts) >= MAX_GZIP_RANGES:
        picks = sorted({round((j + 1) * len(cuts) / MAX_GZIP_RANGES) - 1 for j in range(MAX_GZIP_RANGES - 1)})
        cuts = [cuts[j] for j in picks]
    starts = [(0, 0)] + cuts
    out = []
    for k, (off, line) in enumerate(starts):
        length = starts[k + 1][0] - off if k + 1 < len(starts) else None
        out.append(InputRange(spec, k, len(starts), seek=0 if gz else off, skip=off if gz else 0,
                              length=length, line=line))
    return out


def _plan_warc_gz(spec, fh, size, step):
    """Cut points at the first gzip member starting a WARC record after every `step` bytes."""
    return _ranges_at(spec, _cuts(size, step, lambda t: _find_member(fh, t, min(size, t + step))))


def _plan_warc(spec, fh, size, step):
    """A plain (uncompressed) WARC: cut points at the first record header after every
    `step` bytes, checked as Beam's text source checks a line start, but stricter: a
    header line `WARC/1.x` after a blank line, known WARC-Type, a Content-Length that
    ends exactly where the next record (or the file) starts.  (A single-member .warc.gz
    cannot be cut at all: a deflate stream is entered only at its start, so such a file
    is one range, read by one worker.)"""
    return _ranges_at(spec, _cuts(size, step, lambda t: _find_record(fh, t, min(size, t + step), size)))


def _cuts(size: int, step: int, find) -> list[int]:
    cuts, t = [], step
    while t < size:
        off = find(t)
        if off is not None and (not cuts or off > cuts[-1]):
            cuts.append(off)
        t += step
    return cuts


def _ranges_at(spec, cuts: list[int]):
    if not cuts:
        return None
    starts = [0] + cuts
    return [InputRange(spec, k, len(starts), seek=s, length=starts[k + 1] - s if k + 1 < len(starts) else None)
            for k, s in enumerate(starts)]


def _find_member(fh, start: int, stop: int | None) -> int | None:
    """Offset of the first gzip member in [start, stop) whose content starts "WARC/"."""
    pos = start
    while stop is None or pos < stop:
        fh.seek(pos)
        want = _CHUNK if stop is None else min(_CHUNK, stop - pos)
        block = fh.read(want + 2)
        if len(block) < 3:
            return None
        i = block.find(_GZIP_MAGIC)
        while i >= 0 and (stop is None or pos + i < stop):
            if _is_warc_member(fh, pos + i):
                return pos + i
            i = block.find(_GZIP_MAGIC, i + 1)
        pos += len(block) - 2
    return None


_WARC_LINE = re.compile(rb"WARC/\d+\.\d+\r?\n")
_WARC_HEAD_MAX = 1 << 16


def _find_record(fh, start: int, stop: int, size: int) -> int | None:
    """Offset of the first plain WARC record header in [start, stop)."""
    pos = start
    while pos < stop:
        fh.seek(max(0, pos - 1))
        block = fh.read(min(_CHUNK, stop - pos) + 16 + (pos > 0))
        base = max(0, pos - 1)
        i = block.find(b"WARC/", pos - base)
        while i >= 0 and base + i < stop:
            if i > 0 and block[i - 1:i] == b"\n" and _is_warc_record(fh, base + i, size):
                return base + i
            i = block.find(b"WARC/", i + 1)
        if len(block) <= 16:
            return None
        pos = base + len(block) - 16
    return None


def _is_warc_record(fh, off: int, size: int) -> bool:
    """A record header at `off`, whose Content-Length ends at the next record or the end."""
    fh.seek(off)
    head = fh.read(_WARC_HEAD_MAX)
    end = head.find(b"\r\n\r\n")
    if end < 0 or not _WARC_LINE.match(head):
        return False
    fields = {}
    for line in head[:end].split(b"\r\n")[1:]:
        name, sep, value = line.partition(b":")
        if sep:
            fields[name.strip().lower()] = value.strip()
    length = fields.get(b"content-length", b"")
    kind = fields.get(b"warc-type", b"").decode("latin-1")
    if not length.isdigit() or kind not in _WARC_TYPES:
        return False
    nxt = off + end + 4 + int(length)
    fh.seek(nxt)
    tail = fh.read(4 + 5)
    if tail[:4] != b"\r\n\r\n":
        return False
    return nxt + 4 >= size or tail[4:].startswith(b"WARC/")


def _is_warc_member(fh, off: int) -> bool:
    fh.seek(off)
    try:
        head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(fh.read(1 << 14), 16)
    except zlib.error:
        return False
    return head.startswith(b"WARC/")


# --------------------------------------------------------------------------------------
# Reading: every generator yields Page or Reject, one per input unit.


def _reject(ref, kind, reason, detail="", raw=None, stage="read"):
    return Reject(ref, UNIT_KIND.get(kind, kind), stage, reason, detail, raw,
                  dt.datetime.now(dt.timezone.utc))


def _read_whole(path: str, fh, limit: int) -> bytes:
    """A single-document file, refusing files over `limit` (read.max_file_bytes).

    A local file's size is checked first; then the file is read in blocks, since one
    read(limit + 1) would allocate `limit` bytes even for a tiny file.
    """
    if not _is_remote(path) and os.path.getsize(path) > limit:
        raise OverflowError(f"file over {limit} bytes")
    fh.seek(0)
    parts, size = [], 0
    while size <= limit:
        block = fh.read(min(1 << 20, limit + 1 - size))
        if not block:
            break
        parts.append(block)
        size += len(block)
    if size > limit:
        raise OverflowError(f"file over {limit} bytes")
    return b"".join(parts)


def read_document(path: str, limit: int) -> bytes:
    """A single-document file (feed, OPML, page) whole; OverflowError past `limit`."""
    with FileSystems.open(path, compression_type="uncompressed") as fh:
        return _read_whole(path, fh, limit)


def sniff(data: bytes) -> str:
    """Kind of a file whose name does not tell, from its first bytes."""
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
    if dec.looks_binary(data[:_HEAD]):
        return "unknown"
    return "text"


def read_input(spec: InputSpec, config: Config, fetcher=None):
    """All units of one input. Never raises for bad content: bad content is a Reject."""
    yield from read_range(InputRange(spec), config, fetcher)


def read_range(rng: InputRange, config: Config, fetcher=None, tally: dict | None = None):
    """The units of one range of an input, read from a FileSystems handle as a stream:
    memory stays about one unit (read.max_record_bytes) whatever the file's size.

    A range of a split WARC never says warc_empty (it cannot know about the others): it
    puts its count of records into `tally`, and empty_archive decides for the file."""
    spec = rng.spec
    kind, ref = spec.kind, spec.path
    if kind == "feed_url":
        yield from read_feed_url(ref, fetcher, config)
        return
    try:
        fh = FileSystems.open(ref, compression_type="uncompressed")
    except (OSError, IOError) as e:
        yield _reject(ref, kind, "read_error", f"{type(e).__name__}: {e}"[:300])
        return
    with fh:
        try:
            head = fh.read(_HEAD)
            if kind == "auto":
                kind = sniff(head)
                if kind == "unknown":
                    yield _reject(ref, "text", "unknown_kind", "not a known input format")
                    return
            if kind == "jsonl":
                units = _jsonl_units(ref, fh, head, rng, config)
            elif kind == "warc":
                units = _WarcReader(ref, rng, config, tally).units(fh, head)
            else:
                units = READERS[kind](ref, _read_whole(ref, fh, config.read.max_file_bytes), config, fetcher)
        except OverflowError as e:
            yield _reject(ref, kind, "too_large", str(e))
            return
        except (OSError, IOError) as e:
            yield _reject(ref, kind, "read_error", f"{type(e).__name__}: {e}"[:300])
            return
        try:
            yield from units
        except Exception as e:  # a reader bug: the file still ends as a row (tests look for these)
            at = f"@{rng.seek + rng.skip}" if rng.index else ""
            yield _reject(f"{ref}{at}#read-error", kind, "read_failed", f"{type(e).__name__}: {e}"[:300])


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


# --------------------------------------------------------------------------------------
# Streams: file blocks, gzip members, bounded inflation.

# Decompressed bytes allowed per compressed byte of a gzip stream, beyond one unit's
# worth (read.max_record_bytes): text compresses 5-10x, a gzip bomb ~1000x.
MAX_INFLATE_RATIO = 32


class _GzipDamage(Exception):
    """The gzip stream ends early or is corrupt (reason decode_error / warc_truncated)."""


class _Inflated(Exception):
    """Decompressed output over the limit (reason too_large)."""


def _is_gzip(data: bytes) -> bool:
    return data[:2] == b"\x1f\x8b"


class _Raw:
    """The bytes of a file from `offset` up to `stop` (None: the end), block by block;
    the unused tail of a gzip member is put back for the next member."""

    def __init__(self, fh, offset: int, stop: int | None):
        self.fh, self.pos, self.stop, self._back = fh, offset, stop, b""
        fh.seek(offset)

    def next(self) -> bytes:
        if self._back:
            block, self._back = self._back, b""
        else:
            want = _CHUNK if self.stop is None else min(_CHUNK, self.stop - self.pos)
            block = self.fh.read(want) if want > 0 else b""
        self.pos += len(block)
        return block

    def unread(self, block: bytes):
        if block:
            self._back = block + self._back
            self.pos -= len(block)

    def jump(self, offset: int):
        self.fh.seek(offset)
        self.pos, self._back = offset, b""


def _blocks(raw: _Raw):
    while True:
        block = raw.next()
        if not block:
            return
        yield block


def _member(raw: _Raw, slack: int):
    """Decompressed pieces of the gzip member at raw's position, leaving raw after it.

    Output is bounded by MAX_INFLATE_RATIO per compressed byte plus `slack`.
    """
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    start, total = raw.pos, 0
    try:
        while not d.eof:
            chunk = raw.next()
            if not chunk:
                raise _GzipDamage("gzip stream truncated")
            out = d.decompress(chunk, _CHUNK)
            while True:
                if out:
                    total += len(out)
                    if total > MAX_INFLATE_RATIO * (raw.pos - start) + slack:
                        raise _Inflated(f"decompresses to over {total} bytes "
                                        f"from {raw.pos - start} compressed bytes")
                    yield out
                if d.eof or not d.unconsumed_tail:
                    break
                out = d.decompress(d.unconsumed_tail, _CHUNK)
    except zlib.error as e:
        raise _GzipDamage(f"corrupt gzip: {e}") from None
    raw.unread(d.unused_data)


def _next_member(raw: _Raw) -> bool:
    """Skip the padding after a member; True when another member follows."""
    while True:
        block = raw.next()
        if not block:
            return False
        rest = block.lstrip(_PAD)
        if rest:
            raw.unread(rest)
            return True


def _inflate(raw: _Raw, slack: int):
    """Decompressed pieces of a gzip stream, every member (concatenated .gz files are common).

    Memory stays at about one chunk whatever the ratio; raises _GzipDamage for a truncated
    or corrupt stream and _Inflated past the ratio bound, after the pieces before.
    """
    start, total = raw.pos, 0
    while _next_member(raw):
        for out in _member(raw, slack):
            total += len(out)
            if total > MAX_INFLATE_RATIO * (raw.pos - start) + slack:
                raise _Inflated(f"decompresses to over {total} bytes from {raw.pos - start} compressed bytes")
            yield out


def _recode(pieces, encoding: str):
    """UTF-16/32 pieces as UTF-8 (JSON Lines is UTF-8; a UTF-16 export is read too)."""
    decoder = codecs.getincrementaldecoder(encoding)("replace")
    for piece in pieces:
        yield decoder.decode(piece).encode("utf-8")
    yield decoder.decode(b"", final=True).encode("utf-8")


def _drop(pieces, n: int):
    for piece in pieces:
        if n >= len(piece):
            n -= len(piece)
            continue
        yield piece[n:] if n else piece
        n = 0


def _take(pieces, n: int):
    for piece in pieces:
        if len(piece) >= n:
            yield piece[:n]
            return
        n -= len(piece)
        yield piece


class _Stream(io.RawIOBase):
    """A file object over decompressed pieces, for warcio. A damaged or over-inflating
    gzip stream reads as its end, with the reason kept in `damage` / `inflated`."""

    def __init__(self, pieces):
        super().__init__()
        self._it, self._buf, self._at = pieces, b"", 0
        self.total, self.last_ink, self.head = 0, -1, b""
        self.damage = self.inflated = None
        self.reported = False             # the damage is already the cut page's own reject

    def readable(self):
        return True

    def _fill(self) -> bool:
        try:
            piece = next(self._it)
        except StopIteration:
            return False
        except _GzipDamage as e:
            self.damage = str(e)
            return False
        except _Inflated as e:
            self.inflated = str(e)
            return False
        if not self.head:
            self.head = piece[:64]
        ink = piece.rstrip(_PAD)
        if ink:
            self.last_ink = self.total + len(ink) - 1
        self.total += len(piece)
        self._buf, self._at = piece, 0
        return True

    def readinto(self, b):
        while self._at >= len(self._buf):
            if not self._fill():
                return 0
        n = min(len(b), len(self._buf) - self._at)
        b[:n] = self._buf[self._at:self._at + n]
        self._at += n
        return n

    def drain(self):
        while self._fill():
            pass
        self._buf, self._at = b"", 0


# --------------------------------------------------------------------------------------
# JSONL


def _lines(pieces, max_line: int, lineno: int = 0):
    """(line number, line bytes or None when over max_line, length) for the lines of `pieces`.

    A line over max_line is counted, not kept; runs of blank lines cost no Python loop.
    Raises what `pieces` raises, with the incomplete last line (if any) dropped: it
    belongs to the damaged part of the file.
    """
    carry, size = [], 0
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


def _jsonl_pieces(fh, head: bytes, rng: InputRange, config: Config):
    """Decompressed bytes of one range of a JSONL file, as UTF-8."""
    raw = _Raw(fh, rng.seek, None)
    if _is_gzip(head):
        pieces = _inflate(raw, config.read.max_record_bytes)
    elif head.startswith(_WIDE_BOMS):
        enc = "utf-32" if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)) else "utf-16"
        pieces = _recode(_blocks(raw), enc)
    else:
        pieces = _blocks(raw)
    if rng.skip:
        pieces = _drop(pieces, rng.skip)
    if rng.length is not None:
        pieces = _take(pieces, rng.length)
    return pieces


def _jsonl_units(ref, fh, head, rng: InputRange, config: Config):
    if rng.whole and not head.strip() and len(head) < _HEAD:
        yield _reject(ref, "jsonl", "empty_input", "file is empty")
        return
    max_line = config.read.max_record_bytes
    units = 0
    lineno = rng.line
    try:
        for lineno, raw, size in _lines(_jsonl_pieces(fh, head, rng, config), max_line, rng.line):
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
    if not units and rng.whole:
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


# --------------------------------------------------------------------------------------
# WARC

_WARC_TYPES = {"warcinfo", "response", "resource", "request", "metadata", "revisit", "conversion",
               "continuation"}


def empty_archive(ref: str, records: int, ranges: int = 1) -> Reject:
    """The one reject of a WARC with no unit at all (read whole, or as `ranges` ranges)."""
    where = f" (read as {ranges} ranges)" if ranges > 1 else ""
    return _reject(ref, "warc", "warc_empty", f"no HTML response records among {records} records{where}")


class _WarcReader:
    """One Page per HTML response record of one range of a WARC(.gz) file.

    A .warc.gz is read gzip member by member (crawlers write one record per member), so
    a damaged or cut record is one warc_truncated reject and reading goes on with the
    next member; a plain .warc ends at its first damage.  Inflation is bounded per member.
    """

    def __init__(self, ref: str, rng: InputRange, config: Config, tally: dict | None = None):
        self.ref, self.rng, self.tally = ref, rng, tally
        self.limit = config.read.max_record_bytes
        self.at = f"@{rng.seek}" if rng.index else ""
        self.refs: set = set()
        self.records = self.issued = 0

    def _unique(self, base: str) -> str:
        uref, n = base, 1
        while uref in self.refs:           # a repeated record id must not merge two units
            n += 1
            uref = f"{base}~{n}"
        self.refs.add(uref)
        return uref

    def _fail(self, reason: str, detail: str, member: int | None = None) -> Reject:
        """A reject for damage outside any HTML record: named by its gzip member's offset
        (the same whichever range reads it), in a plain WARC by the records before it."""
        self.issued += 1
        where = f"#gzip-member-at-{member}" if member is not None else f"#after-record-{self.records}{self.at}"
        return _reject(self._unique(self.ref + where), "warc", reason, detail)

    def units(self, fh, head: bytes):
        stop = None if self.rng.length is None else self.rng.seek + self.rng.length
        raw = _Raw(fh, self.rng.seek, stop)
        if not head.strip() and len(head) < _HEAD and self.rng.whole:
            yield _reject(self.ref, "warc", "empty_input", "file is empty")
            return
        if _is_gzip(head):
            yield from self._members(raw, fh, stop)
        else:
            stream = _Stream(_blocks(raw))
            failure = yield from self._scan(stream)
            if failure and self._invalid(stream):
                yield self._invalid_archive(failure)
                return
            if failure:
                yield self._fail("warc_truncated", failure)
        if self.tally is not None:
            self.tally["records"] = self.tally.get("records", 0) + self.records
        if self.rng.whole and not self.issued:
            yield empty_archive(self.ref, self.records)

    def _invalid(self, stream) -> bool:
        return (self.rng.whole and not self.records and not stream.damage
                and not stream.head.lstrip()[:5].upper().startswith((b"WARC/", b"FILED")))

    def _invalid_archive(self, failure: str) -> Reject:
        self.issued += 1
        return _reject(self.ref, "warc", "warc_invalid", f"not a WARC/ARC archive: {failure}")

    def _members(self, raw: _Raw, fh, stop):
        first = True
        while _next_member(raw):
            start = raw.pos
            stream = _Stream(_member(raw, self.limit))
            failure = yield from self._scan(stream)
            stream.drain()                       # the rest of the member, whatever happened
            if stream.inflated:
                yield self._fail("too_large", f"record {self.records + 1}: {stream.inflated}", start)
            elif first and failure and self._invalid(stream):
                yield self._invalid_archive(failure)
                return
            elif (stream.damage or failure) and not stream.reported:
                yield self._fail("warc_truncated", "; ".join(x for x in (stream.damage, failure) if x), start)
            first = False
            if stream.inflated or stream.damage:  # the member's end is unknown: find the next one
                nxt = _find_member(fh, start + 1, stop)
                if nxt is None:
                    return
                raw.jump(nxt)

    def _scan(self, stream: _Stream):
        """Units of the records in one decompressed stream; returns what went wrong, or None
        (also when the damage was already reported as the cut page's own reject)."""
        from warcio.archiveiterator import ArchiveIterator
        it = ArchiveIterator(stream, arc2warc=True)
        end = 0
        try:
            for record in it:
                length = record.rec_headers.get_header("Content-Length") or ""
                if record.rec_type not in _WARC_TYPES or (record.format.startswith("warc")
                                                          and not length.strip().isdigit()):
                    return f"record {self.records + 1}: header cut short or not a WARC record header"
                self.records += 1
                page = None
                if record.rec_type == "response":
                    http = record.http_headers
                    ctype = (http.get_header("Content-Type") if http else "") or ""
                    if "html" in ctype.lower():     # images, scripts...: not articles, not units
                        page = self._page(record, ctype)
                it.read_to_end()
                if getattr(record.raw_stream, "limit", 0) > 0:
                    failure = f"record {self.records} ends {record.raw_stream.limit} bytes early"
                    if page is None:
                        return failure
                    self.issued += 1                 # the cut record is the one reject
                    detail = "; ".join(x for x in (stream.damage, failure) if x)
                    stream.reported = True
                    yield _reject(page.input_ref, "warc", "warc_truncated", detail)
                    return None
                end = it.get_record_offset() + it.get_record_length()
                if page is not None:
                    self.issued += 1
                    yield page
        except Exception as e:  # warcio raises assorted errors on truncated/corrupt archives
            return f"{type(e).__name__}: {e}"[:300]
        stream.drain()
        if stream.last_ink >= end:                   # warcio stops quietly on a cut header
            return f"{stream.total - end} unreadable bytes after record {self.records}"
        return None

    def _page(self, record, ctype):
        """Page or Reject for one HTML response record (reads at most limit + 1 payload bytes)."""
        http = record.http_headers
        rid = record.rec_headers.get_header("WARC-Record-ID")
        rid = rid.strip("<>") if rid else f"{self.at}#{len(self.refs) + 1}"   # ids name records in every range
        uri = record.rec_headers.get_header("WARC-Target-URI")
        wdate = record.rec_headers.get_header("WARC-Date")
        uref = self._unique(f"{self.ref}#{rid}" + (f"@{wdate}" if wdate else ""))
        cut = record.rec_headers.get_header("WARC-Truncated")
        if cut:                            # the crawler kept only part of the payload
            return _reject(uref, "warc", "warc_truncated", f"WARC-Truncated: {cut} for {uri}")
        status = http.get_statuscode() if http else "200"
        try:
            payload = record.content_stream().read(self.limit + 1)
        except Exception as e:  # bad chunked or content encoding: this record only
            return _reject(uref, "warc", "warc_record_invalid", f"{type(e).__name__}: {e}"[:300])
        if len(payload) > self.limit:
            return _reject(uref, "warc", "too_large", f"record over {self.limit} bytes")
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


# --------------------------------------------------------------------------------------
# Feeds and OPML (single documents, read whole up to read.max_file_bytes)


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


READERS = {"text": _text_units, "html": _html_units, "feed": _feed_units, "opml": _opml_units}

__all__ = ["InputSpec", "InputRange", "InputError", "expand_inputs", "plan_input", "read_input",
           "read_range", "empty_archive", "kind_of", "sniff"]

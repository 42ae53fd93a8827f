"""Parquet writing: staged part files per bundle, committed into place by the driver.

Rows never cross a GroupByKey on their way to disk (Beam's local runner would hold
them all in memory): each bundle buffers rows per partition, writes a part file to
DIR/_staging/RUN_ID/ whenever `rows_per_file` rows are buffered and at the end of the
bundle, and emits only small (id, content hash, file) keys for dedup.  Nothing is
ever written under DIR/articles/ by the pipeline; pipeline/commit.py moves finished
files there, each appearing whole through a rename.
"""
from __future__ import annotations

import os
import posixpath
import re
import uuid

import apache_beam as beam
import pyarrow as pa
import pyarrow.parquet as pq
from apache_beam.io.filesystems import FileSystems

from pipeline import schema

_SAFE = re.compile(r"[^A-Za-z0-9_.\-]")


# ---- paths ---------------------------------------------------------------------------

def join(base: str, *parts: str) -> str:
    if "://" in base:
        return posixpath.join(base, *parts)
    return os.path.join(base, *parts)


def ensure_dir(path: str):
    if "://" not in path:
        os.makedirs(path, exist_ok=True)


def partition_value(value) -> str:
    """Hive-escaped partition value: no input can produce '/', '..' or a hidden name."""
    if value is None or value == "":
        return schema.DEFAULT_PARTITION
    text = _SAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group(0).encode("utf-8")), str(value))
    if text.startswith("."):
        text = "%2E" + text[1:]
    return text[:200]


def partition_path(row: dict, keys: list[str]) -> str:
    parts = []
    for key in keys:
        value = schema.DERIVED_KEYS[key](row) if key in schema.DERIVED_KEYS else row.get(key)
        parts.append(f"{key}={partition_value(value)}")
    return "/".join(parts)


def write_whole(path: str, data: bytes):
    """A small file that readers must see whole or not at all: a temp name and a rename
    locally; one object on an object store (where a create is already all-or-nothing)."""
    if "://" in path:
        with FileSystems.create(path, compression_type="uncompressed") as fh:
            fh.write(data)
        return
    folder, name = os.path.split(path)
    ensure_dir(folder)
    tmp = os.path.join(folder, f".{name}.{uuid.uuid4().hex}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


def compression(name: str):
    return None if name == "none" else name


# Parquet writer settings, spelled out because warehouses depend on them (README:
# "Warehouse conventions", checked by tests/test_warehouse.py): format 2.6 with
# INT64 TIMESTAMP(MICROS, UTC) (never INT96, never nanoseconds), data pages v1, and
# Parquet dictionary *pages* (RLE_DICTIONARY, which every engine reads) but no Arrow
# dictionary *types*.
PARQUET_OPTIONS = dict(version="2.6", data_page_version="1.0", use_dictionary=True,
                       use_deprecated_int96_timestamps=False, coerce_timestamps="us",
                       allow_truncated_timestamps=False, write_statistics=True)


def parquet_writer(fh, sch: pa.Schema, codec: str | None, run_id: str) -> pq.ParquetWriter:
    """A ParquetWriter with the warehouse settings and newsbeam's key-value metadata."""
    return pq.ParquetWriter(fh, schema.with_file_metadata(sch, run_id), compression=codec,
                            **PARQUET_OPTIONS)


def write_table(table: pa.Table, path: str, codec: str | None, run_id: str, row_group_size: int | None = None):
    """One whole Parquet file, stamped with the schema version and the writing run's id."""
    ensure_dir(os.path.dirname(path) if "://" not in path else path)
    with FileSystems.create(path, compression_type="uncompressed") as fh:
        with parquet_writer(fh, table.schema, codec, run_id) as writer:
            writer.write_table(table.replace_schema_metadata(None), row_group_size=row_group_size)


def read_table(path: str, columns=None) -> pa.Table:
    with FileSystems.open(path, compression_type="uncompressed") as fh:
        return pq.read_table(pa.BufferReader(fh.read()), columns=columns)


def list_files(base: str, suffix: str = ".parquet") -> list[str]:
    if "://" not in base:
        out = []
        for root, _dirs, files in os.walk(base):
            out.extend(os.path.join(root, f) for f in files if f.endswith(suffix))
        return sorted(out)
    try:
        found = FileSystems.match([base.rstrip("/") + "/**"])[0].metadata_list
    except Exception:
        return []
    return sorted(m.path for m in found if m.path.endswith(suffix))


# ---- the staged writer -----------------------------------------------------------------

class _PartFile:
    """The part file a partition is currently writing: rows are assigned on arrival,
    buffered, and written as row groups through one open ParquetWriter."""

    __slots__ = ("path", "assigned", "buffer", "writer")

    def __init__(self, path: str):
        self.path, self.assigned, self.buffer, self.writer = path, 0, [], None


class WriteStaged(beam.DoFn):
    """Rows -> part files under a staging folder; yields (id, meta) keys for articles.

    Memory is bounded whatever the corpus size or the number of partitions: at most
    `buffer_rows` rows are held (then every buffer goes out as a row group), and at most
    `max_open` writers are open (the least recently used one is finished).  Each part
    file holds at most `rows_per_file` rows.
    """

    def __init__(self, staging: str, kind: str, partition_by: list[str], rows_per_file: int, codec: str,
                 buffer_rows: int = 2000, max_open: int = 256, run_id: str | None = None):
        self.staging = staging
        # The staging folder of a run is DIR/_staging/RUN_ID: its name is the run id.
        self.run_id = run_id or posixpath.basename(staging.rstrip("/\\").replace("\\", "/"))
        self.kind = kind                        # "articles" or "rejects"
        self.partition_by = list(partition_by)
        self.rows_per_file = rows_per_file
        self.codec = codec
        self.buffer_rows = buffer_rows
        self.max_open = max_open

    def setup(self):
        if self.kind == "articles":
            self._schema = schema.file_schema(self.partition_by)
        else:
            self._schema = schema.REJECT_SCHEMA
        self._drop = [k for k in self.partition_by if k in schema.COLUMN_KEYS] if self.kind == "articles" else []

    def start_bundle(self):
        self._parts: dict[str, _PartFile] = {}
        self._buffered = 0
        self._open: list[str] = []              # partitions with an open writer, oldest first

    def _new_path(self, part: str) -> str:
        name = f"part-{uuid.uuid4().hex}.parquet"
        return join(self.staging, self.kind, part, name) if part else join(self.staging, self.kind, name)

    def process(self, row):
        part = partition_path(row, self.partition_by) if self.kind == "articles" else ""
        pf = self._parts.get(part)
        if pf is None:
            pf = self._parts[part] = _PartFile(self._new_path(part))
        elif pf.assigned >= self.rows_per_file:
            self._finish(part)
            pf = self._parts[part] = _PartFile(self._new_path(part))
        if self._drop:
            row = {k: v for k, v in row.items() if k not in self._drop}
        pf.buffer.append(row)
        pf.assigned += 1
        self._buffered += 1
        if self.kind == "articles":
            yield row["id"], (row["content_hash"], row["input_ref"], pf.path, row["source_kind"])
        if self._buffered >= self.buffer_rows:
            for p in list(self._parts):
                self._flush(p)

    def _flush(self, part: str):
        pf = self._parts[part]
        if not pf.buffer:
            return
        if pf.writer is None:
            while len(self._open) >= self.max_open:
                oldest = self._open.pop(0)
                self._finish(oldest)
                self._parts[oldest] = _PartFile(self._new_path(oldest))
            ensure_dir(os.path.dirname(pf.path) if "://" not in pf.path else pf.path)
            fh = FileSystems.create(pf.path, compression_type="uncompressed")
            pf.writer = (fh, parquet_writer(fh, self._schema, compression(self.codec), self.run_id))
            self._open.append(part)
        pf.writer[1].write_table(pa.Table.from_pylist(pf.buffer, schema=self._schema))
        self._buffered -= len(pf.buffer)
        pf.buffer = []

    def _finish(self, part: str):
        """Write what is buffered and close the partition's file (it is then complete)."""
        self._flush(part)
        pf = self._parts.pop(part)
        if pf.writer is not None:
            pf.writer[1].close()
            pf.writer[0].close()
            if part in self._open:
                self._open.remove(part)

    def finish_bundle(self):
        for part in list(self._parts):
            self._finish(part)


# ---- the already-present snapshot ------------------------------------------------------

def snapshot_present(articles_dir: str, out_path: str) -> int:
    """Ids (and their files) already committed, written once by the driver for workers."""
    ids, files = [], []
    for path in list_files(articles_dir):
        try:
            col = read_table(path, columns=["id"]).column("id").to_pylist()
        except Exception:
            continue                       # a foreign or unreadable file: not ours to judge
        ids.extend(col)
        files.extend([path] * len(col))
    write_table(pa.table({"id": pa.array(ids, pa.string()), "file": pa.array(files, pa.string())}),
                out_path, "zstd", run_id="snapshot")
    return len(ids)


def load_present_ids(path: str) -> frozenset:
    return frozenset(read_table(path, columns=["id"]).column("id").to_pylist())

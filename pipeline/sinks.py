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


def compression(name: str):
    return None if name == "none" else name


def write_table(table: pa.Table, path: str, codec: str | None):
    ensure_dir(os.path.dirname(path) if "://" not in path else path)
    with FileSystems.create(path, compression_type="uncompressed") as fh:
        pq.write_table(table, fh, compression=codec)


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

class WriteStaged(beam.DoFn):
    """Rows -> part files under a staging folder; yields (id, meta) keys for articles."""

    def __init__(self, staging: str, kind: str, partition_by: list[str], rows_per_file: int, codec: str):
        self.staging = staging
        self.kind = kind                        # "articles" or "rejects"
        self.partition_by = list(partition_by)
        self.rows_per_file = rows_per_file
        self.codec = codec

    def setup(self):
        if self.kind == "articles":
            self._schema = schema.file_schema(self.partition_by)
        else:
            self._schema = schema.REJECT_SCHEMA
        self._drop = [k for k in self.partition_by if k in schema.COLUMN_KEYS] if self.kind == "articles" else []

    def start_bundle(self):
        self._buffers: dict[str, tuple[str, list]] = {}

    def _file_for(self, part: str) -> str:
        name = f"part-{uuid.uuid4().hex}.parquet"
        return join(self.staging, self.kind, part, name) if part else join(self.staging, self.kind, name)

    def process(self, row):
        if self.kind == "rejects":
            part = ""
        else:
            part = partition_path(row, self.partition_by)
        entry = self._buffers.get(part)
        if entry is None:
            entry = self._buffers[part] = (self._file_for(part), [])
        path, rows = entry
        rows.append(row)
        if self.kind == "articles":
            yield row["id"], (row["content_hash"], row["input_ref"], path, row["source_kind"])
        if len(rows) >= self.rows_per_file:
            self._flush(part)

    def _flush(self, part):
        path, rows = self._buffers.pop(part)
        if not rows:
            return
        if self._drop:
            rows = [{k: v for k, v in r.items() if k not in self._drop} for r in rows]
        table = pa.Table.from_pylist(rows, schema=self._schema)
        write_table(table, path, compression(self.codec))

    def finish_bundle(self):
        for part in list(self._buffers):
            self._flush(part)


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
                out_path, "zstd")
    return len(ids)


def load_present_ids(path: str) -> frozenset:
    return frozenset(read_table(path, columns=["id"]).column("id").to_pylist())

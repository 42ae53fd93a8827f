"""The one definition of newsbeam's output tables. Every writer and test uses these."""
from __future__ import annotations

import datetime as dt

import pyarrow as pa

ENTITY = pa.struct([
    ("text", pa.string()), ("label", pa.string()),
    ("start", pa.int32()), ("end", pa.int32()), ("canonical", pa.string()),
])
DATE_MENTION = pa.struct([
    ("text", pa.string()), ("start", pa.int32()), ("end", pa.int32()),
    ("value", pa.string()), ("granularity", pa.string()),
])
CAPTION = pa.struct([("text", pa.string()), ("credit", pa.string())])
TS = pa.timestamp("us", tz="UTC")

ARTICLE_SCHEMA = pa.schema([
    ("id", pa.string()),
    ("url", pa.string()),
    ("canonical_url", pa.string()),
    ("source", pa.string()),
    ("source_kind", pa.string()),
    ("input_ref", pa.string()),
    ("title", pa.string()),
    ("authors", pa.list_(pa.string())),
    ("language", pa.string()),
    ("published_at", TS),
    ("published_at_source", pa.string()),
    ("dateline", pa.string()),
    ("body", pa.string()),
    ("captions", pa.list_(CAPTION)),
    ("credits", pa.list_(pa.string())),
    ("boilerplate", pa.list_(pa.string())),
    ("entities", pa.list_(ENTITY)),
    ("dates", pa.list_(DATE_MENTION)),
    ("word_count", pa.int32()),
    ("content_hash", pa.string()),
    ("ingested_at", TS),
    ("pipeline_version", pa.string()),
])

REJECT_SCHEMA = pa.schema([
    ("input_ref", pa.string()),
    ("source_kind", pa.string()),
    ("stage", pa.string()),
    ("reason", pa.string()),
    ("detail", pa.string()),
    ("rejected_at", TS),
    ("raw", pa.string()),          # the raw input when small (<= RAW_MAX chars), else null
    ("run_id", pa.string()),
])

# Partition keys that are derived, not stored as columns (Hive convention: a partition
# value lives in the path only).  Column partition keys are taken out of the file.
DERIVED_KEYS = {
    "published_date": lambda row: _day(row.get("published_at")),
    "published_month": lambda row: _day(row.get("published_at"), "%Y-%m"),
    "ingest_date": lambda row: _day(row.get("ingested_at")),
}
COLUMN_KEYS = {"source", "source_kind", "language"}
DEFAULT_PARTITION = "__HIVE_DEFAULT_PARTITION__"
RAW_MAX = 16_384


def _day(value, fmt="%Y-%m-%d"):
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).strftime(fmt)
    return None


def file_schema(partition_by: list[str]) -> pa.Schema:
    """ARTICLE_SCHEMA less the column partition keys (they live in the path)."""
    drop = [k for k in partition_by if k in COLUMN_KEYS]
    return pa.schema([f for f in ARTICLE_SCHEMA if f.name not in drop])


def check_partition_keys(keys: list[str]) -> None:
    unknown = [k for k in keys if k not in DERIVED_KEYS and k not in COLUMN_KEYS]
    if unknown or not keys:
        allowed = sorted(DERIVED_KEYS) + sorted(COLUMN_KEYS)
        raise ValueError(f"partition_by {keys!r}: each key must be one of {allowed}")


def partitioning(partition_by: list[str] | None = None):
    """pyarrow Hive partitioning with explicit types, for reading the output.

    `partitioning="hive"` infers the types and fails when every partition of a key is
    __HIVE_DEFAULT_PARTITION__ (e.g. an output holding only undated articles); this one
    does not.  Usage: ds.dataset(DIR + "/articles", partitioning=partitioning()).
    """
    import pyarrow.dataset as ds
    keys = partition_by or ["published_date"]
    return ds.partitioning(pa.schema([(k, pa.string()) for k in keys]), flavor="hive")

"""The one definition of newsbeam's output tables. Every writer and test uses these.

Any change to the columns (name, type, nullability, order) bumps SCHEMA_VERSION, records
the new fingerprint in SCHEMA_HISTORY and adds a line to the README's schema changelog;
tests/test_schema.py fails until all three agree.  Descriptions are documentation and may
change freely.
"""
from __future__ import annotations

import datetime as dt
import hashlib

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

SCHEMA_VERSION = "1"
# version -> fingerprint() of the columns it defined; a new version appends a line.
SCHEMA_HISTORY = {
    "1": "feebcb9367c9be04",
}
META_VERSION = b"newsbeam.schema_version"
META_RUN_ID = b"newsbeam.run_id"

DESCRIPTIONS = {
    "articles": {
        "id": "Stable article id: hash of the canonical URL, or of the content when there is no URL",
        "url": "The URL as found in the input (null when the input had none)",
        "canonical_url": "Normalized URL: scheme/host case, tracking parameters and fragment removed",
        "source": "Publisher domain, or the feed/file source name",
        "source_kind": "Input kind: feed, html, text, jsonl, warc",
        "input_ref": "Where the article came from: file path, feed URL + entry id, WARC file + record id",
        "title": "Headline (null when the input had none)",
        "authors": "Author names",
        "language": "ISO 639-1 language code of the body",
        "published_at": "Publication time in UTC (null when unknown)",
        "published_at_source": "Where published_at came from: feed, html_meta, jsonld, url, text, none",
        "dateline": "Place named in the dateline, e.g. MOSCOW (null when none)",
        "body": "Clean article text, paragraphs joined by a blank line",
        "captions": "Photo/video captions split off the body",
        "captions.text": "Caption text",
        "captions.credit": "Credit line of the caption (null when none)",
        "credits": "Standalone credit lines split off the body",
        "boilerplate": "Lines removed as page furniture, kept for audit",
        "entities": "Named-entity mentions with character offsets into body",
        "entities.text": "Mention text as it appears in body",
        "entities.label": "Entity type (spaCy label: PERSON, ORG, GPE, ...)",
        "entities.start": "Start offset of the mention in body (characters)",
        "entities.end": "End offset of the mention in body (characters, exclusive)",
        "entities.canonical": "Normalized entity name shared by mentions of the same entity",
        "dates": "Date mentions in body, resolved against published_at",
        "dates.text": "Mention text as it appears in body",
        "dates.start": "Start offset of the mention in body (characters)",
        "dates.end": "End offset of the mention in body (characters, exclusive)",
        "dates.value": "Resolved ISO-8601 value (null when it cannot be resolved)",
        "dates.granularity": "Precision of value: day, month, year, ...",
        "word_count": "Number of words in body",
        "content_hash": "Hash of body, for near-duplicate checks downstream",
        "ingested_at": "When the run that wrote the article started (UTC)",
        "pipeline_version": "newsbeam package version that wrote the article",
    },
    "rejects": {
        "input_ref": "The rejected input unit: file path, feed URL + entry id, WARC file + record id",
        "source_kind": "Input kind: feed, html, text, jsonl, warc",
        "stage": "Pipeline stage that rejected the unit: read, fetch, extract, anatomy, dedup, ...",
        "reason": "Short stable reason code, e.g. fetch_http_404, extract_empty, duplicate",
        "detail": "Human-readable detail (for duplicates: the kept article id)",
        "rejected_at": "When the run that rejected the unit started (UTC)",
        "raw": "The raw input when small (at most 16,384 characters), else null",
        "run_id": "Id of the run that rejected the unit",
    },
}
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


PARTITION_TYPES = {"published_date": "date", "published_month": "string", "ingest_date": "date"}


def tables() -> dict[str, pa.Schema]:
    return {"articles": ARTICLE_SCHEMA, "rejects": REJECT_SCHEMA}


def fingerprint() -> str:
    """sha256 over the columns of both tables (names, types, nullability, order)."""
    text = "\n".join(f"{name}:{f.name}:{f.type}:{f.nullable}"
                     for name, sch in tables().items() for f in sch)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def file_metadata(run_id: str) -> dict[bytes, bytes]:
    """Key-value metadata every Parquet file carries (DESIGN: Schema versions)."""
    return {META_VERSION: SCHEMA_VERSION.encode(), META_RUN_ID: run_id.encode("utf-8")}


def with_file_metadata(sch: pa.Schema, run_id: str) -> pa.Schema:
    return sch.with_metadata({**(sch.metadata or {}), **file_metadata(run_id)})


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

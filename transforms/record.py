"""Draft article -> one row of pipeline.schema.ARTICLE_SCHEMA."""
from __future__ import annotations

import re

from transforms.ids import article_id, canonical_url, content_hash, source_of

_WORD = re.compile(r"\w+(?:[-'’]\w+)*")


def word_count(text: str) -> int:
    return sum(1 for _ in _WORD.finditer(text or ""))


def to_row(d: dict, *, ingested_at, version: str) -> dict:
    body = d.get("body") or ""
    canon = canonical_url(d.get("url"))
    return {
        "id": article_id(canon, body),
        "url": d.get("url"),
        "canonical_url": canon,
        "source": d.get("source") or source_of(d.get("url")),
        "source_kind": d["source_kind"],
        "input_ref": d["input_ref"],
        "title": d.get("title"),
        "authors": [a for a in (d.get("authors") or []) if isinstance(a, str) and a.strip()],
        "language": d.get("language"),
        "published_at": d.get("published_at"),
        "published_at_source": d.get("published_at_source") or "none",
        "dateline": d.get("dateline"),
        "body": body,
        "captions": [{"text": c.get("text"), "credit": c.get("credit")} for c in d.get("captions") or []],
        "credits": list(d.get("credits") or []),
        "boilerplate": list(d.get("boilerplate") or []),
        "entities": list(d.get("entities") or []),
        "dates": list(d.get("dates") or []),
        "word_count": word_count(body),
        "content_hash": content_hash(body),
        "ingested_at": ingested_at,
        "pipeline_version": version,
    }

"""What travels between steps: a Page (one input unit) and a Reject (its dead letter).

Plain dataclasses and dicts: they pickle small and never carry parsed trees or models.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pipeline.schema import RAW_MAX

SOURCE_KINDS = ("feed", "html", "text", "jsonl", "warc")


@dataclass
class Page:
    """One input unit: the raw article as a source gave it."""
    input_ref: str
    source_kind: str                    # feed | html | text | jsonl | warc
    url: str | None = None
    source: str | None = None           # feed title / file source name, when no domain
    html: str | None = None
    text: str | None = None
    title: str | None = None
    authors: list = field(default_factory=list)
    published: str | None = None        # raw publication date from the feed/record
    published_source: str | None = None  # "feed" when it came from a feed/record field
    needs_fetch: bool = False           # feed entry without content: fetch `url`


@dataclass
class Reject:
    input_ref: str
    source_kind: str
    stage: str
    reason: str
    detail: str = ""
    raw: str | None = None
    rejected_at: dt.datetime | None = None

    def row(self, run_id: str) -> dict:
        raw = self.raw
        if raw is not None and len(raw) > RAW_MAX:
            raw = None
        return {"input_ref": self.input_ref, "source_kind": self.source_kind,
                "stage": self.stage, "reason": self.reason, "detail": (self.detail or "")[:2000],
                "rejected_at": self.rejected_at or dt.datetime.now(dt.timezone.utc),
                "raw": raw, "run_id": run_id}


def reject_of(page: Page, stage: str, reason: str, detail: str = "") -> Reject:
    raw = page.html if page.html is not None else page.text
    if raw is not None and len(raw) > RAW_MAX:
        raw = None
    return Reject(page.input_ref, page.source_kind, stage, reason, detail, raw,
                  dt.datetime.now(dt.timezone.utc))

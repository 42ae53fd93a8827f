"""Within-run dedup on small keys: same id (canonical URL), then same body hash.

Only (id, content hash, input_ref, staged file) tuples cross the GroupByKeys, never
article rows, so memory stays small on any runner.  The winner of a group is the unit
with the smallest input_ref: deterministic whatever the order of arrival.  Losers are
written to a manifest that the commit step applies (and turns into dedup rejects).
"""
from __future__ import annotations

import json
import typing
import uuid

import apache_beam as beam
from apache_beam import pvalue
from apache_beam.io.filesystems import FileSystems

LOSERS = "losers"


def _pick_by_id(item):
    id_, metas = item
    metas = sorted(metas, key=lambda m: m[1])
    keep = metas[0]
    yield keep[0], (id_, keep)
    for m in metas[1:]:
        yield pvalue.TaggedOutput(LOSERS, _loser(id_, m, id_, "same_url"))


def _pick_by_content(item):
    _hash, entries = item
    entries = sorted(entries, key=lambda e: e[1][1])
    kept_id = entries[0][0]
    for id_, meta in entries[1:]:
        yield _loser(id_, meta, kept_id, "same_content")


def _loser(id_, meta, kept_id, why):
    content_hash, input_ref, path, kind = meta
    return {"id": id_, "kept_id": kept_id, "input_ref": input_ref, "file": path,
            "source_kind": kind, "why": why}


class WriteManifest(beam.DoFn):
    """Losers -> JSON lines under the staging folder, one file per bundle."""

    def __init__(self, folder: str):
        self.folder = folder

    def start_bundle(self):
        self._rows = []

    def process(self, loser):
        self._rows.append(loser)

    def finish_bundle(self):
        if not self._rows:
            return
        from pipeline.sinks import ensure_dir, join
        ensure_dir(self.folder)
        with FileSystems.create(join(self.folder, f"losers-{uuid.uuid4().hex}.jsonl"),
                                compression_type="uncompressed") as fh:
            fh.write("".join(json.dumps(r) + "\n" for r in self._rows).encode("utf-8"))
        self._rows = []


class Dedup(beam.PTransform):
    """keys (id, (content_hash, input_ref, file, kind)) -> loser manifest files."""

    def __init__(self, folder: str, by_content: bool = True):
        super().__init__()
        self.folder = folder
        self.by_content = by_content

    def expand(self, keys):
        picked = (keys
                  | "GroupById" >> beam.GroupByKey()
                  | "PickById" >> beam.FlatMap(_pick_by_id)
                  .with_output_types(typing.Tuple[str, typing.Any])
                  .with_outputs(LOSERS, main="kept"))
        losers = [picked[LOSERS]]
        if self.by_content:
            losers.append(picked.kept
                          | "GroupByContent" >> beam.GroupByKey()
                          | "PickByContent" >> beam.FlatMap(_pick_by_content))
        return (losers | "AllLosers" >> beam.Flatten()
                | "WriteManifest" >> beam.ParDo(WriteManifest(self.folder)))

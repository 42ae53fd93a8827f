"""The pipeline graph: read -> fetch -> extract -> anatomy -> enrich -> dedup -> write.

Labels follow the DESIGN diagram so the Beam graph, the metrics and the code use the
same words.  Rejects from every step travel on tagged outputs into one reject sink.
"""
from __future__ import annotations

import apache_beam as beam

from pipeline.config import Config
from pipeline.sinks import WriteStaged, join
from transforms.dedup import Dedup
from transforms.steps import (REJECTS, AnatomyStep, Enrich, Extract, Fetch, Finalize, ReadInputs,
                              SkipPresent)


class Ingest(beam.PTransform):
    """InputSpecs -> (article rows, reject rows)."""

    def __init__(self, config: Config, *, run_id: str, ingested_at, version: str,
                 present_snapshot: str | None):
        super().__init__()
        self.config = config
        self.run_id = run_id
        self.ingested_at = ingested_at
        self.version = version
        self.present_snapshot = present_snapshot

    def expand(self, specs):
        cfg = self.config
        read = specs | "Read" >> beam.ParDo(ReadInputs(cfg)).with_outputs(REJECTS, main="pages")
        pages = read.pages
        if self.present_snapshot:
            pages = pages | "SkipPresentPages" >> beam.ParDo(SkipPresent(cfg, self.present_snapshot))
        fetched = pages | "Fetch" >> beam.ParDo(Fetch(cfg)).with_outputs(REJECTS, main="pages")
        extracted = fetched.pages | "Extract" >> beam.ParDo(Extract(cfg)).with_outputs(REJECTS, main="drafts")
        anatomy = extracted.drafts | "Anatomy" >> AnatomyStep(cfg)
        size = cfg.enrich.batch_size
        rows = (anatomy.drafts
                | "Batch" >> beam.BatchElements(min_batch_size=size, max_batch_size=size)
                | "Enrich" >> beam.ParDo(Enrich(cfg))
                | "Finalize" >> beam.ParDo(Finalize(cfg, self.ingested_at, self.version)))
        if self.present_snapshot:
            rows = rows | "SkipPresent" >> beam.ParDo(SkipPresent(cfg, self.present_snapshot))
        rejects = ((read[REJECTS], fetched[REJECTS], extracted[REJECTS], anatomy[REJECTS])
                   | "Rejects" >> beam.Flatten()
                   | "RejectRows" >> beam.Map(lambda r, run_id: r.row(run_id), run_id=self.run_id))
        return rows, rejects


def build(pipeline, specs, config: Config, *, staging: str, run_id: str, ingested_at, version: str,
          present_snapshot: str | None):
    rows, rejects = (pipeline
                     | "Inputs" >> beam.Create(specs)
                     | "Ingest" >> Ingest(config, run_id=run_id, ingested_at=ingested_at, version=version,
                                          present_snapshot=present_snapshot))
    out = config.out
    keys = rows | "Write" >> beam.ParDo(WriteStaged(staging, "articles", out.partition_by,
                                                    out.rows_per_file, out.compression))
    keys | "Dedup" >> Dedup(join(staging, "dedup"), by_content=config.dedup.by_content)
    rejects | "WriteRejects" >> beam.ParDo(WriteStaged(staging, "rejects", [], out.rows_per_file,
                                                       out.compression))

"""The pipeline graph: read -> fetch -> extract -> anatomy -> enrich -> dedup -> write.

Labels follow the DESIGN diagram so the Beam graph, the metrics and the code use the
same words.  Rejects from every step travel on tagged outputs into one reject sink.
"""
from __future__ import annotations

import apache_beam as beam

from pipeline.config import Config
from pipeline.sinks import WriteStaged, join
from transforms.dedup import Dedup
from transforms.steps import (REJECTS, TALLIES, AnatomyStep, EmptyArchives, Enrich, Extract, Fetch,
                              Finalize, PlanInputs, ReadInputs, Repeats, SkipPresent, add_tallies)


class Ingest(beam.PTransform):
    """InputSpecs -> (article rows, reject rows).

    `ingested_at` None stamps each row when it is finalized (a stream); `feed_state`
    (pipeline.state.FeedStateSpec) turns on conditional GET for feed URLs; `repeats`
    (pipeline.state.RepeatsSpec) the lines remembered per source and where to stage new ones.
    """

    def __init__(self, config: Config, *, run_id: str, ingested_at, version: str,
                 present_snapshot: str | None, feed_state=None, spread: bool = True, repeats=None):
        super().__init__()
        self.repeats = repeats
        self.spread = spread
        self.config = config
        self.run_id = run_id
        self.ingested_at = ingested_at
        self.version = version
        self.present_snapshot = present_snapshot
        self.feed_state = feed_state

    def expand(self, specs):
        cfg = self.config
        # A stream passes spread=False: a Reshuffle is a GroupByKey, which the local
        # streaming runner fires only when the source ends.
        spread = cfg.read.spread if self.spread else "none"
        if spread == "ranges":       # small range descriptions travel; each worker reads its own
            specs = (specs | "Plan" >> beam.ParDo(PlanInputs(cfg))
                     | "SpreadRanges" >> beam.Reshuffle())
        read = specs | "Read" >> beam.ParDo(ReadInputs(cfg, self.feed_state)).with_outputs(
            REJECTS, TALLIES, main="pages")
        pages = read.pages
        read_rejects = [read[REJECTS]]
        if spread == "ranges":       # a split WARC with no unit in any range: one warc_empty
            empty = (read[TALLIES] | "TallyRanges" >> beam.CombinePerKey(add_tallies)
                     | "EmptyArchives" >> beam.ParDo(EmptyArchives(cfg)).with_outputs(REJECTS, main="none"))
            read_rejects.append(empty[REJECTS])
        if spread == "pages":        # measured against "ranges": see bench/run_bench.py
            pages = pages | "SpreadPages" >> beam.Reshuffle()
        if self.present_snapshot:
            pages = pages | "SkipPresentPages" >> beam.ParDo(SkipPresent(cfg, self.present_snapshot))
        fetched = pages | "Fetch" >> beam.ParDo(Fetch(cfg)).with_outputs(REJECTS, main="pages")
        extracted = fetched.pages | "Extract" >> beam.ParDo(Extract(cfg)).with_outputs(REJECTS, main="drafts")
        anatomy = extracted.drafts | "Anatomy" >> AnatomyStep(cfg)
        size = cfg.enrich.batch_size
        rows = (anatomy.drafts
                | "Repeats" >> beam.ParDo(Repeats(cfg, self.repeats))
                | "Batch" >> beam.BatchElements(min_batch_size=size, max_batch_size=size)
                | "Enrich" >> beam.ParDo(Enrich(cfg))
                | "Finalize" >> beam.ParDo(Finalize(cfg, self.ingested_at, self.version)))
        if self.present_snapshot:
            rows = rows | "SkipPresent" >> beam.ParDo(SkipPresent(cfg, self.present_snapshot))
        rejects = ((*read_rejects, fetched[REJECTS], extracted[REJECTS], anatomy[REJECTS])
                   | "Rejects" >> beam.Flatten()
                   | "RejectRows" >> beam.Map(lambda r, run_id: r.row(run_id), run_id=self.run_id))
        return rows, rejects


def graph(specs, config: Config, *, staging: str, run_id: str, ingested_at, version: str,
          present_snapshot: str | None, feed_state=None, writer=WriteStaged, dedup: bool = True,
          spread: bool = True, repeats=None):
    """The one graph `run` and `stream` share: specs -> Ingest -> staged part files.

    `run` dedups within the run in the graph (GroupByKey on small keys); a stream passes
    dedup=False and a writer that publishes only finished files, because its committer
    dedups each commit on the driver (a GroupByKey would not fire before the stream ends).
    """
    rows, rejects = specs | "Ingest" >> Ingest(config, run_id=run_id, ingested_at=ingested_at,
                                               version=version, present_snapshot=present_snapshot,
                                               feed_state=feed_state, spread=spread,
                                               repeats=repeats)
    out = config.out
    keys = rows | "Write" >> beam.ParDo(writer(staging, "articles", out.partition_by,
                                               out.rows_per_file, out.compression))
    if dedup:
        keys | "Dedup" >> Dedup(join(staging, "dedup"), by_content=config.dedup.by_content)
    rejects | "WriteRejects" >> beam.ParDo(writer(staging, "rejects", [], out.rows_per_file,
                                                  out.compression))


def build(pipeline, specs, config: Config, *, staging: str, run_id: str, ingested_at, version: str,
          present_snapshot: str | None, feed_state=None, repeats=None):
    """A run: a fixed list of inputs through the shared graph."""
    graph(pipeline | "Inputs" >> beam.Create(specs), config, staging=staging, run_id=run_id,
          ingested_at=ingested_at, version=version, present_snapshot=present_snapshot,
          feed_state=feed_state, repeats=repeats)

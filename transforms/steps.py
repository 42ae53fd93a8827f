"""Beam DoFns for the per-article steps.

Each DoFn adapts one pure function (transforms/*.py): it routes failures to the
REJECTS tagged output with a stable reason code, counts them with Metrics.counter, and
builds heavy state (models, catalogues, HTTP state) in setup(), never in __init__.
"""
from __future__ import annotations

import collections
import datetime as dt
import time

import apache_beam as beam
from apache_beam import pvalue
from apache_beam.metrics import Metrics

from pipeline import progress
from pipeline.config import Config
from pipeline.model import Page, Reject, reject_of

NS = "newsbeam"
REJECTS = "rejects"
TALLIES = "tallies"


class Step(beam.DoFn):
    """Shared routing: counted rejects on a tagged output, timed process calls."""

    STAGE = "step"

    def __init__(self, config: Config):
        self.config = config            # plain dataclasses: pickles small

    def setup(self):
        self._counters = {}
        self._ms = Metrics.distribution(NS, f"ms.{self.STAGE}")

    def count(self, name: str, n: int = 1):
        c = self._counters.get(name)
        if c is None:
            c = self._counters[name] = Metrics.counter(NS, name)
        c.inc(n)
        progress.note(name, n)

    def reject(self, rej: Reject):
        self.count(f"rejected.{rej.stage}.{rej.reason}")
        return pvalue.TaggedOutput(REJECTS, rej)

    def reject_page(self, page, reason: str, detail: str = ""):
        return self.reject(reject_of(page, self.STAGE, reason, detail))


class PlanInputs(Step):
    """InputSpec -> InputRange per part of the file (JSONL, WARC.gz over read.split_bytes).

    Only small range descriptions leave this step, so shuffling them after it is cheap:
    each worker then reads its own ranges of one big file.
    """

    STAGE = "plan"

    def process(self, spec):
        from pipeline.sources import plan_input
        ranges = plan_input(spec, self.config)
        if len(ranges) > 1:
            self.count("plan.ranges", len(ranges))
        yield from ranges


class ReadInputs(Step):
    """InputSpec or InputRange -> Page per input unit (file, JSONL line, feed entry, WARC record)."""

    STAGE = "read"

    def __init__(self, config: Config, feed_state=None):
        super().__init__(config)
        self.feed_state = feed_state    # pipeline.state.FeedStateSpec: conditional GET for feed URLs

    def setup(self):
        super().setup()
        from pipeline.fetch import Fetcher
        self._fetcher = Fetcher(self.config.fetch)
        if self.feed_state is not None:
            from pipeline.state import FeedState
            self._fetcher.state = FeedState(self.feed_state)

    def finish_bundle(self):
        state = getattr(self._fetcher, "state", None)
        if state is not None:
            state.flush()

    def process(self, item):
        from pipeline.sources import InputRange, read_range
        from pipeline.state import Unpolled
        rng = item if isinstance(item, InputRange) else InputRange(item)
        tally = {} if rng.spec.kind == "warc" and not rng.whole else None
        units = 0
        try:
            for unit in read_range(rng, self.config, self._fetcher, tally):
                if isinstance(unit, Unpolled):       # a 304 or a feed backing off: no unit
                    self.count(f"feeds.{unit.reason}")
                    continue
                units += 1
                self.count(f"seen.{unit.source_kind}")
                if isinstance(unit, Reject):
                    yield self.reject(unit)
                else:
                    yield unit
        except Exception as e:  # a reader bug must not lose the file: it becomes a reject
            from pipeline.sources import UNIT_KIND
            kind = UNIT_KIND.get(rng.spec.kind, "text")
            at = f"@{rng.seek + rng.skip}" if rng.index else ""
            self.count(f"seen.{kind}")
            units += 1
            yield self.reject(Reject(rng.spec.path + at + "#read-error", kind, "read", "read_failed",
                                     f"{type(e).__name__}: {e}"[:300], None,
                                     dt.datetime.now(dt.timezone.utc)))
        if tally is not None:                   # one range of a split WARC: see EmptyArchives
            yield pvalue.TaggedOutput(TALLIES, (rng.spec.path, (units, tally.get("records", 0), 1)))
        progress.note("files")


def add_tallies(tallies) -> tuple:
    """(units, records, ranges) summed over the ranges of one file (a CombinePerKey fn)."""
    units = records = ranges = 0
    for u, r, n in tallies:
        units, records, ranges = units + u, records + r, ranges + n
    return units, records, ranges


class EmptyArchives(Step):
    """(path, (units, records, ranges)) of a split WARC -> its one warc_empty reject when no
    range found a unit, as the file read whole would give: the ranges cannot know about
    each other. Only after a Plan (a run); a stream reads every file whole."""

    STAGE = "read"

    def process(self, item):
        from pipeline.sources import empty_archive
        path, (units, records, ranges) = item
        if units == 0:
            self.count("seen.warc")
            yield self.reject(empty_archive(path, records, ranges))


class Fetch(Step):
    """Feed entries without content: download the linked page."""

    STAGE = "fetch"

    def setup(self):
        super().setup()
        from pipeline.fetch import Fetcher
        self._fetcher = Fetcher(self.config.fetch)

    def process(self, page: Page):
        if not page.needs_fetch:
            yield page
            return
        from pipeline import decode as dec
        from pipeline.fetch import FetchError
        if not self.config.fetch.enabled:
            yield self.reject_page(page, "fetch_disabled", "entry has no content and fetching is off")
            return
        t0 = time.perf_counter()
        try:
            resp = self._fetcher.get(page.url)
        except FetchError as e:
            yield self.reject_page(page, e.reason, e.detail)
            return
        finally:
            self._ms.update(int((time.perf_counter() - t0) * 1000))
        if resp.content_type and not any(t in resp.content_type for t in ("html", "xml", "text/plain")):
            yield self.reject_page(page, "not_html", f"Content-Type {resp.content_type}")
            return
        try:
            html, _ = dec.decode(resp.body, resp.charset)
        except dec.DecodeError as e:
            yield self.reject_page(page, "not_html", str(e))
            return
        self.count("fetched")
        page.html, page.needs_fetch = html, False
        page.url = page.url or resp.url
        yield page


class Extract(Step):
    """Page -> draft article: HTML through trafilatura, text as is.

    Up to extract.prefetch pages are in the extraction child at once (answered in order;
    the rest of a bundle's answers are emitted in finish_bundle), so extraction overlaps
    the steps after this one instead of taking turns with them.
    """

    STAGE = "extract"

    def setup(self):
        super().setup()
        from transforms.extractor import Extractor
        self._extractor = Extractor(self.config.extract, self.config.anatomy.catalogue)
        self._extractor.start()
        self._ahead: collections.deque = collections.deque()   # (Pending, timestamp, window)

    def teardown(self):
        self._extractor.close()

    def start_bundle(self):
        self._ahead.clear()

    def process(self, page: Page, timestamp=beam.DoFn.TimestampParam, window=beam.DoFn.WindowParam):
        self._ahead.append((self._extractor.submit(page), timestamp, window))
        while self._ahead and (len(self._ahead) > self.config.extract.prefetch or self._ahead[0][0].done()):
            yield from self._answer(self._ahead.popleft()[0])

    def finish_bundle(self):
        from apache_beam.utils.windowed_value import WindowedValue
        while self._ahead:
            pending, timestamp, window = self._ahead.popleft()
            for out in self._answer(pending):
                if isinstance(out, pvalue.TaggedOutput):
                    yield pvalue.TaggedOutput(out.tag, WindowedValue(out.value, timestamp, [window]))
                else:
                    yield WindowedValue(out, timestamp, [window])

    def _answer(self, pending):
        t0 = time.perf_counter()
        draft, reason, detail = self._extractor.result(pending)
        self._ms.update(int((time.perf_counter() - t0) * 1000))     # time this worker waited
        if draft is None:
            yield self.reject_page(pending.page, reason, detail)
            return
        how = draft.get("extraction") or ""
        if how.startswith("fallback_"):
            self.count(f"extract.{how.split('.')[0]}")      # how often the story was found again
        for part in how.split(".")[1:]:
            if part in ("chunks", "subheads"):              # story text added back from the page
                self.count(f"extract.{part}")
        yield draft


class Anatomy(Step):
    """Draft -> title, authors, dateline, body, captions, credits, boilerplate."""

    STAGE = "anatomy"

    def setup(self):
        super().setup()
        from transforms.anatomy import Catalogue
        self._catalogue = Catalogue.load(self.config.anatomy.catalogue or None)

    def process(self, draft: dict, repeats=None):
        from transforms.anatomy import split_draft
        t0 = time.perf_counter()
        if self.config.anatomy.enabled:
            parts = split_draft(draft, catalogue=self._catalogue, general=self.config.anatomy.general,
                                line_model=self.config.anatomy.line_model,
                                line_model_threshold=self.config.anatomy.line_model_threshold,
                                repeats=_repeats_of(draft, repeats),
                                min_repeats=self.config.anatomy.min_repeats)
        else:
            parts = {"title": draft.get("title"), "authors": draft.get("authors") or [],
                     "dateline": None, "dateline_prefix": None, "body": draft["text"],
                     "captions": draft.get("figures") or [], "credits": [], "boilerplate": []}
        self._ms.update(int((time.perf_counter() - t0) * 1000))
        if not (parts.get("body") or "").strip():
            yield self.reject(Reject(draft["input_ref"], draft["source_kind"], "anatomy", "body_empty",
                                     "nothing left after captions and furniture were split off",
                                     None, dt.datetime.now(dt.timezone.utc)))
            return
        draft.update(parts)
        draft.setdefault("boilerplate", [])
        draft["boilerplate"] = list(draft.get("furniture") or []) + list(draft["boilerplate"])
        yield draft


def _source_key(draft: dict) -> str:
    from transforms.repeats import source_key
    return source_key(draft)


def _line_keys(draft: dict) -> set:
    """The short lines of a draft (furniture is short), normalised, once each."""
    from transforms.anatomy import norm
    return {norm(ln) for ln in (draft.get("text") or "").splitlines() if 0 < len(ln.strip()) <= 200} - {""}


def _repeats_of(draft: dict, repeats) -> dict | None:
    """{line key: articles of this source that have it} from the side input."""
    if not repeats:
        return None
    source = _source_key(draft)
    out = {}
    for k in _line_keys(draft):
        n = repeats.get((source, k))
        if n:
            out[k] = n
    return out


class AnatomyStep(beam.PTransform):
    """The Anatomy DoFn, with `anatomy.repeats` on: lines that recur in at least
    `anatomy.min_repeats` articles of the same source within the run are furniture.

    The counts are a CombinePerKey over (source, line) handed to Anatomy as a side
    input, which waits for the whole input: right for `run` (a bounded input), not for
    an unbounded stream, so it is off by default and a streaming pipeline should leave
    it off (or window the drafts first)."""

    def __init__(self, config: Config):
        super().__init__()
        self.config = config

    def expand(self, drafts):
        cfg = self.config
        if not cfg.anatomy.repeats:
            return drafts | "Split" >> beam.ParDo(Anatomy(cfg)).with_outputs(REJECTS, main="drafts")
        least = max(2, cfg.anatomy.min_repeats)
        counts = (drafts
                  | "LineKeys" >> beam.FlatMap(lambda d: [(_source_key(d), k) for k in _line_keys(d)])
                  | "CountPerSourceLine" >> beam.combiners.Count.PerElement()
                  | "Repeated" >> beam.Filter(lambda kv, n: kv[1] >= n, least))
        return drafts | "Split" >> beam.ParDo(Anatomy(cfg), repeats=beam.pvalue.AsDict(counts)).with_outputs(
            REJECTS, main="drafts")


class Repeats(Step):
    """Lines the source's earlier articles had many times move from body to boilerplate
    (transforms/repeats.py, reason `repeat`); each article's line fingerprints are staged
    (one small file per bundle) for the driver to remember after the commit.

    `spec` (pipeline.state.RepeatsSpec) None: the step passes drafts through.  In a
    stream the known lines are reloaded when the driver rewrote them (after a commit),
    looked for at most every `spec.reload_every` seconds."""

    STAGE = "repeats"

    def __init__(self, config: Config, spec=None):
        super().__init__(config)
        self.spec = spec

    def setup(self):
        super().setup()
        self._known, self._stamp, self._checked, self._records = {}, None, time.monotonic(), []
        if self.spec is not None and self.spec.known_path:
            self._load()

    def _load(self):
        from apache_beam.io.filesystems import FileSystems

        from pipeline.state import read_known
        try:
            meta = FileSystems.match([self.spec.known_path])[0].metadata_list
            stamp = (meta[0].size_in_bytes, meta[0].last_updated_in_seconds) if meta else None
            if stamp is not None and stamp != self._stamp:
                self._known, self._stamp = read_known(self.spec.known_path), stamp
        except Exception:           # not written yet, or being replaced: keep what is known
            pass

    def process(self, draft: dict):
        spec = self.spec
        if spec is None:
            yield draft
            return
        if spec.reload_every and spec.known_path and time.monotonic() - self._checked >= spec.reload_every:
            self._checked = time.monotonic()
            self._load()
        t0 = time.perf_counter()
        source = _source_key(draft)
        if source and self._known.get(source) and self.config.anatomy.enabled:
            from transforms.repeats import drop_repeats
            removed = drop_repeats(draft, self._known[source], spec.rule)
            if removed:
                self.count("repeats.lines_removed", len(removed))
                self.count("repeats.articles_cleaned")
        if source and spec.staging:
            from transforms.ids import article_id, canonical_url
            from transforms.repeats import line_fingerprints
            fps = line_fingerprints(draft.get("text") or "")
            if fps:
                self._records.append({"id": article_id(canonical_url(draft.get("url")), draft.get("body") or ""),
                                      "source": source, "fps": fps})
        self._ms.update(int((time.perf_counter() - t0) * 1000))
        yield draft

    def finish_bundle(self):
        if self._records:
            from pipeline.state import stage_fingerprints
            stage_fingerprints(self.spec.staging, self._records)
            self._records = []


class Enrich(Step):
    """Batches of drafts -> language, entities, publication date, date mentions.

    Takes lists (after BatchElements) so spaCy sees whole batches through nlp.pipe.
    """

    STAGE = "enrich"

    def setup(self):
        super().setup()
        import concurrent.futures as cf

        from transforms.enrich import Enricher
        self._enricher = Enricher(self.config.enrich)
        # Loaded in the background: Beam sets steps up consumers first, so this overlaps the
        # extraction child's start (Extract.setup) and the first pages' extraction.
        loader = cf.ThreadPoolExecutor(max_workers=1)
        self._loading = loader.submit(self._enricher.load)
        loader.shutdown(wait=False)

    def process(self, batch: list):
        if self._loading is not None:
            loading, self._loading = self._loading, None
            loading.result()
        t0 = time.perf_counter()
        done, counts = self._enricher.run(batch)
        for name, n in counts.items():
            self.count(name, n)
        per_doc = int((time.perf_counter() - t0) * 1000 / max(1, len(batch)))
        for _ in batch:                        # one sample per article: sums add up to time spent
            self._ms.update(per_doc)
        yield from done


class Finalize(Step):
    """Draft -> one row of ARTICLE_SCHEMA: ids, hashes, counts, provenance."""

    STAGE = "finalize"

    def __init__(self, config: Config, ingested_at: dt.datetime, version: str):
        super().__init__(config)
        self.ingested_at = ingested_at
        self.version = version

    def process(self, draft: dict):
        from transforms.record import to_row
        progress.note("finalized")
        # a stream passes no ingested_at: each row is stamped when it is finalized
        ingested_at = self.ingested_at or dt.datetime.now(dt.timezone.utc)
        yield to_row(draft, ingested_at=ingested_at, version=self.version)


class SkipPresent(Step):
    """Ids already in the output (from an earlier run) are counted, not written again.

    Applied twice: to pages right after Read (an id from a URL is known before any
    fetch or extraction, so re-polling a feed costs almost nothing) and to finished rows
    (ids from content, for units without a URL).
    """

    STAGE = "dedup"

    def __init__(self, config: Config, snapshot_path: str | None):
        super().__init__(config)
        self.snapshot_path = snapshot_path

    def setup(self):
        super().setup()
        from pipeline.sinks import load_present_ids
        self._present, self._stamp, self._checked = frozenset(), None, time.monotonic()
        if self.snapshot_path:
            self._stamp = self._stamp_of()
            self._present = load_present_ids(self.snapshot_path)

    def _stamp_of(self):
        from apache_beam.io.filesystems import FileSystems
        try:
            meta = FileSystems.match([self.snapshot_path])[0].metadata_list
        except Exception:
            return None
        return (meta[0].size_in_bytes, meta[0].last_updated_in_seconds) if meta else None

    def _refresh(self):
        """Reload the snapshot when it changed (checked once a second): a stream's committer
        rewrites it after each commit."""
        if not self.snapshot_path or time.monotonic() - self._checked < 1.0:
            return
        self._checked = time.monotonic()
        stamp = self._stamp_of()
        if stamp is not None and stamp != self._stamp:
            from pipeline.sinks import load_present_ids
            self._present, self._stamp = load_present_ids(self.snapshot_path), stamp

    def process(self, item):
        self._refresh()
        if isinstance(item, Page):
            if not item.url or not self._present:
                yield item
                return
            from transforms.ids import article_id, canonical_url
            canon = canonical_url(item.url)
            key = article_id(canon, "") if canon else None
            kind = item.source_kind
        else:
            key, kind = item["id"], item["source_kind"]
        if key in self._present:
            self.count(f"already_present.{kind}")
            return
        yield item

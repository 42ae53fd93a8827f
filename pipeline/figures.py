"""The figures of an output folder, for `newsbeam report` and `newsbeam stats`.

Run summaries come from DIR/_runs/*.json; article and reject figures are aggregates
computed by DuckDB over the Parquet files, reading only the columns they need (never a
body), with a memory limit and spill-to-disk, so a million-article output is reported in
a few hundred MB.  Everything returned is plain JSON-able data.
"""
from __future__ import annotations

import datetime as dt
import glob
import json
import os
import shutil
import tempfile

TOP_SOURCES = 15
TOP_ENTITIES = 6
REJECT_EXAMPLES = 3
MEMORY_LIMIT = "256MB"


class FiguresError(ValueError):
    """The folder is not a newsbeam output: one line, exit status 2."""


def gather(output: str, run_id: str | None = None) -> dict:
    if "://" in output:
        raise FiguresError(f"{output}: report and stats read a local or mounted folder "
                           "(copy it, or mount the bucket)")
    if not os.path.isdir(output):
        raise FiguresError(f"{output}: no such folder")
    runs = load_runs(output)
    if run_id and not any(r["run_id"] == run_id for r in runs):
        raise FiguresError(f"run {run_id} not found in {os.path.join(output, '_runs')}")
    if not runs and not _parquet(output, "articles"):
        raise FiguresError(f"{output}: no newsbeam output here (no _runs/ and no articles/)")
    figures = {
        "output": os.path.abspath(output),
        "generated_at": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
        "run": run_id,
        "runs": [r for r in runs if not run_id or r["run_id"] == run_id],
        "streams": [stream_figures(r) for r in runs if r["kind"] == "stream"
                    and (not run_id or r["run_id"] == run_id)],
    }
    figures["totals"] = run_totals(figures["runs"])
    with _connect() as con:
        window = _run_window(figures["runs"][0]) if run_id else None
        figures["articles"], figures["entities"], figures["dates"] = article_figures(
            con, output, run_id, window)
        figures["rejects"] = reject_figures(con, output, run_id)
    return figures


# ---- run summaries ----------------------------------------------------------------------

def _total(block) -> int:
    if isinstance(block, dict):
        return int(block.get("total") or 0)
    return int(block or 0)


def load_runs(output: str) -> list[dict]:
    runs = []
    for path in glob.glob(os.path.join(output, "_runs", "*.json")):
        try:
            with open(path, encoding="utf-8") as fh:
                s = json.load(fh)
        except (OSError, ValueError):
            continue
        if not isinstance(s, dict):
            continue
        ok = (s.get("accounting") or {}).get("ok")
        timing = s.get("stage_timing") or {}
        runs.append({
            "run_id": s.get("run_id") or os.path.basename(path)[:-5],
            "kind": s.get("kind") or "run",
            "started_at": s.get("started_at"),
            "finished_at": s.get("committed_at") or s.get("finished_at"),
            "seconds": s.get("seconds"),
            "seen": _total(s.get("seen")),
            "written": _total(s.get("written")),
            "duplicates": _total(s.get("duplicates")),
            "already_present": _total(s.get("already_present")),
            "rejected": _total(s.get("rejected")),
            "docs_per_second": s.get("docs_per_second"),
            "accounting": "ok" if ok else ("unknown" if ok is None else "mismatch"),
            "stage_ms": {k.removeprefix("ms."): v.get("mean_ms") for k, v in timing.items()
                         if isinstance(v, dict) and v.get("mean_ms") is not None},
            "stage_seconds": {k.removeprefix("ms."): v.get("total_s") for k, v in timing.items()
                              if isinstance(v, dict) and v.get("total_s") is not None},
            "_raw": s,
        })
    runs.sort(key=lambda r: (r["started_at"] or "", r["run_id"]))
    for r in runs:
        r.pop("_raw") if r["kind"] != "stream" else None
    return runs


def run_totals(runs: list[dict]) -> dict:
    keys = ("seen", "written", "duplicates", "already_present", "rejected")
    totals = {k: sum(r[k] for r in runs) for k in keys}
    totals["runs"] = len(runs)
    totals["accounting_mismatches"] = sum(r["accounting"] == "mismatch" for r in runs)
    return totals


def stream_figures(run: dict) -> dict:
    """A stream summary's commits: time and latency figures, whatever their exact names."""
    raw = run.pop("_raw", {})
    commits = []
    for c in raw.get("commits") or []:
        if not isinstance(c, dict):
            continue
        at = next((c[k] for k in ("committed_at", "at", "finished_at", "time", "started_at") if c.get(k)), None)
        latency = {k: v for k, v in c.items() if "latency" in k and isinstance(v, (int, float))
                   and not isinstance(v, bool)}
        commits.append({"at": at, "written": _total(c.get("written")), "latency": latency})
    return {"run_id": run["run_id"], "started_at": run["started_at"], "commits": commits}


# ---- Parquet aggregates ---------------------------------------------------------------

class _connect:
    def __enter__(self):
        import duckdb
        self.tmp = tempfile.mkdtemp(prefix="newsbeam-figures-")
        self.con = duckdb.connect(config={"memory_limit": MEMORY_LIMIT, "threads": 2,
                                          "preserve_insertion_order": False,
                                          "temp_directory": self.tmp})
        self.con.execute("SET TimeZone = 'UTC'")
        return self.con

    def __exit__(self, *exc):
        self.con.close()
        shutil.rmtree(self.tmp, ignore_errors=True)
        return False


def _parquet(output: str, table: str) -> bool:
    return bool(glob.glob(os.path.join(output, table, "**", "*.parquet"), recursive=True))


def _literal(text: str) -> str:
    """A SQL string literal (views take no prepared parameters)."""
    return "'" + text.replace("'", "''") + "'"


def _rows(con, sql: str, params=None) -> list[tuple]:
    return con.execute(sql, params or []).fetchall()


def _run_window(run: dict) -> tuple[str, str] | None:
    """The `ingested_at` span of a run's rows, which survives compaction (file names do not).

    A batch run stamps every row with its start (to the microsecond); a stream stamps rows as
    they are finalized, between its start and its last commit.
    """
    start, end = run.get("started_at"), run.get("finished_at")
    if not start:
        return None
    if run.get("kind") != "stream":
        return start, start
    return (start, end) if end else None


def article_figures(con, output: str, run_id: str | None, window: tuple[str, str] | None = None):
    """Articles, entities and dates figures.

    Files are read by name with the first file's columns: DuckDB's union_by_name holds
    every file's metadata (800 MB at a million articles in 3,650 files), so it is only
    the fallback for an output whose files differ (partition keys changed between runs).
    """
    import duckdb
    try:
        return _article_figures(con, output, run_id, window, union=False)
    except duckdb.Error:
        return _article_figures(con, output, run_id, window, union=True)


def _article_figures(con, output: str, run_id: str | None, window, union: bool):
    empty_articles = {"total": 0, "dated": 0, "words": 0, "by_day": [], "sources": 0,
                      "top_sources": [], "languages": [], "kinds": [], "date_sources": []}
    empty_entities = {"mentions": 0, "by_label": [], "top": {}}
    if not _parquet(output, "articles"):
        return empty_articles, empty_entities, {"mentions": 0, "resolved": 0, "rate": None,
                                                "granularity": []}
    pattern = os.path.join(output, "articles", "**", "*.parquet")
    where = ""
    if run_id:                                  # a run's files are named part-RUN_ID-*
        where = f"WHERE contains(filename, {_literal('part-' + run_id + '-')})"
        if window:                              # ... until compact merges them
            where += (f" OR (ingested_at >= CAST({_literal(window[0])} AS TIMESTAMPTZ)"
                      f" AND ingested_at <= CAST({_literal(window[1])} AS TIMESTAMPTZ))")
    con.execute(f"""CREATE OR REPLACE TEMP VIEW a AS SELECT * FROM read_parquet({_literal(pattern)},
                    hive_partitioning = true, hive_types_autocast = false, union_by_name = {union},
                    filename = true) {where}""")
    # One scan for every flat figure (GROUPING SETS), one for entities, one for dates.
    flat = _rows(con, """
        SELECT GROUPING(day, source, language, source_kind, published_at_source) AS g,
               day, source, language, source_kind, published_at_source,
               count(*), count(published_at), coalesce(sum(word_count), 0)
        FROM (SELECT strftime(published_at, '%Y-%m-%d') AS day, published_at, word_count,
                     coalesce(source, '(none)') AS source, coalesce(language, '(none)') AS language,
                     coalesce(source_kind, '(none)') AS source_kind,
                     coalesce(published_at_source, '(none)') AS published_at_source FROM a)
        GROUP BY GROUPING SETS ((day), (source), (language), (source_kind), (published_at_source), ())""")
    sets = {name: [] for name in ("day", "source", "language", "source_kind", "published_at_source")}
    total = dated = words = 0
    for g, day, source, language, kind, date_source, n, n_dated, n_words in flat:
        if g == 0b11111:
            total, dated, words = n, n_dated, n_words
            continue
        for bit, name, value in ((16, "day", day), (8, "source", source), (4, "language", language),
                                 (2, "source_kind", kind), (1, "published_at_source", date_source)):
            if not g & bit:
                sets[name].append((value, n))

    def ranked(pairs):
        return sorted(pairs, key=lambda p: (-p[1], p[0]))

    articles = {"total": total, "dated": dated, "words": int(words),
                "by_day": sorted(p for p in sets["day"] if p[0] is not None),
                "sources": sum(1 for s, _ in sets["source"] if s != "(none)"),
                "top_sources": ranked(sets["source"])[:TOP_SOURCES], "languages": ranked(sets["language"]),
                "kinds": ranked(sets["source_kind"]), "date_sources": ranked(sets["published_at_source"])}
    con.execute("""CREATE OR REPLACE TEMP TABLE ent AS
                   SELECT e.label AS label, coalesce(e.canonical, e.text) AS name, count(*) AS n
                   FROM (SELECT unnest(entities) AS e FROM a) GROUP BY 1, 2""")
    by_label = _rows(con, "SELECT label, sum(n)::BIGINT AS n FROM ent GROUP BY label ORDER BY n DESC, label")
    top: dict = {}
    for label, name, n in _rows(con, f"""
            SELECT label, name, n FROM (
              SELECT *, row_number() OVER (PARTITION BY label ORDER BY n DESC, name) AS r FROM ent)
            WHERE r <= {TOP_ENTITIES} ORDER BY label, n DESC, name"""):
        top.setdefault(label, []).append((name, n))
    con.execute("DROP TABLE ent")
    entities = {"mentions": sum(n for _, n in by_label), "by_label": by_label,
                "top": {label: top.get(label, []) for label, _ in by_label}}
    granularity, mentions, resolved = [], 0, 0
    for g, gran, n, n_resolved in _rows(con, """
            SELECT GROUPING(gran), gran, count(*), count(value)
            FROM (SELECT coalesce(d.granularity, '(none)') AS gran, d.value AS value
                  FROM (SELECT unnest(dates) AS d FROM a))
            GROUP BY GROUPING SETS ((gran), ())"""):
        if g:
            mentions, resolved = n, n_resolved
        else:
            granularity.append((gran, n))
    dates = {"mentions": mentions, "resolved": resolved,
             "rate": round(resolved / mentions, 4) if mentions else None, "granularity": ranked(granularity)}
    return articles, entities, dates


def reject_figures(con, output: str, run_id: str | None) -> dict:
    if not _parquet(output, "rejects"):
        return {"total": 0, "by_reason": []}
    pattern = os.path.join(output, "rejects", "**", "*.parquet")
    where = f"WHERE run_id = {_literal(run_id)}" if run_id else ""
    con.execute(f"""CREATE OR REPLACE TEMP VIEW r AS SELECT input_ref, stage, reason, detail, rejected_at
                    FROM read_parquet({_literal(pattern)}, hive_partitioning = false, union_by_name = true)
                    {where}""")
    counts = _rows(con, "SELECT stage, reason, count(*) AS n FROM r GROUP BY 1, 2 ORDER BY n DESC, 1, 2")
    examples: dict = {}
    for stage, reason, ref, detail in _rows(con, f"""
            SELECT stage, reason, input_ref, detail FROM (
              SELECT *, row_number() OVER (PARTITION BY stage, reason ORDER BY rejected_at DESC, input_ref) AS k
              FROM r) WHERE k <= {REJECT_EXAMPLES} ORDER BY stage, reason, k"""):
        examples.setdefault((stage, reason), []).append({"input_ref": ref, "detail": (detail or "")[:300]})
    return {"total": sum(n for *_, n in counts),
            "by_reason": [{"stage": s, "reason": r, "count": n, "examples": examples.get((s, r), [])}
                          for s, r, n in counts]}

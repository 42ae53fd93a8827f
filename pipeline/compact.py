"""`newsbeam compact DIR`: rewrite partitions of many small files into few large ones.

A scheduled job adds one small file per touched partition per run; readers and
warehouses pay per file.  Compaction rewrites, per partition, the files below the target
size into as few files as the target allows (rows sorted by source, published_at, id;
row groups of about ROW_GROUP_MB) and swaps the partition in like `--mode reprocess`
does (pipeline.commit.swap_partition).  Rows are the same before and after; files at or
above the target are kept as they are.  Run under the output lock; a second compact
finds nothing to do.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import math
import os
import shutil
import time
from collections import defaultdict

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline import __version__

DEFAULT_TARGET_MB = 128
# Row groups of ~16 MiB (compressed): BigQuery's Parquet guidance asks for at least
# 16 MiB per row group, and within that bound smaller groups prune better: rows are
# sorted by (source, published_at), so a filter on source or time skips the groups whose
# min/max statistics exclude it, and a 128 MB file splits into ~8 groups that Spark and
# DuckDB read in parallel.  It also bounds the writer's buffer.
ROW_GROUP_MB = 16
SORT_KEYS = ("source", "published_at", "id")
CODEC = "zstd"


@dataclasses.dataclass
class Part:
    """One partition folder: its files below the target (to merge) and the rest."""
    rel: str                                   # e.g. "published_date=2024-03-05"
    small: list                                # [(path, bytes)]
    kept: int = 0                              # files left alone (at or above the target)

    @property
    def small_bytes(self) -> int:
        return sum(size for _p, size in self.small)


def add_parser(sub):
    p = sub.add_parser("compact", help="merge small Parquet files per partition into files of the target size",
                       description="Rewrite every partition holding more than one file below the target "
                                   "size into as few files as the target allows; swapped in per partition.")
    p.add_argument("output", metavar="DIR", help="a newsbeam output folder (holds articles/)")
    p.add_argument("--target-file-mb", type=float, default=DEFAULT_TARGET_MB, metavar="N",
                   help=f"target file size in MB (default {DEFAULT_TARGET_MB})")
    p.add_argument("--partition", action="append", default=[], metavar="KEY=VALUE",
                   help="only partitions with this key value; repeatable (values of one key are alternatives)")
    p.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                   help="wait this long for another writer to release the output")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    return p


def main(args, extra) -> int:
    import json

    from pipeline import cli
    from pipeline.lock import Locked, output_lock
    from pipeline.run import new_run_id
    if extra:
        return cli.fail(f"compact: unknown arguments: {' '.join(extra)}")
    cli.quiet_logging(False)
    if "://" in args.output:
        return cli.fail("compact swaps partition folders by rename and needs a local or POSIX-mounted output")
    if not os.path.isdir(args.output):
        return cli.fail(f"output {args.output} does not exist")
    if not args.target_file_mb > 0:
        return cli.fail("--target-file-mb must be positive")
    try:
        only = parse_partition_filters(args.partition)
    except ValueError as e:
        return cli.fail(str(e))
    run_id = new_run_id(dt.datetime.now(dt.timezone.utc).replace(microsecond=0))
    try:
        with output_lock(args.output, kind="compact", run_id=run_id, wait=args.wait):
            summary = compact(args.output, run_id=run_id, target_bytes=int(args.target_file_mb * 2**20),
                              only=only)
    except Locked as e:
        return cli.fail(str(e), cli.EXIT_LOCKED)
    print(json.dumps(summary, indent=2, default=str) if args.json else format_summary(summary))
    return 0


def parse_partition_filters(items: list[str]) -> dict[str, set[str]]:
    """["published_date=2024-03-05", ...] -> {key: {escaped values}}."""
    from pipeline import schema
    from pipeline.sinks import partition_value
    only = defaultdict(set)
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise ValueError(f"--partition {item!r}: expected KEY=VALUE")
        if key not in schema.DERIVED_KEYS and key not in schema.COLUMN_KEYS:
            raise ValueError(f"--partition {item!r}: {key} is not a partition key")
        only[key].update({value, partition_value(value)})
    return dict(only)


def _selected(rel: str, only: dict[str, set[str]] | None) -> bool:
    if not only:
        return True
    segs = dict(seg.split("=", 1) for seg in rel.split("/") if "=" in seg)
    return all(segs.get(key) in values for key, values in only.items())


def plan(articles_dir: str, target_bytes: int, only=None) -> list[Part]:
    """The partitions worth rewriting: their small files would fit in fewer files."""
    parts: dict[str, Part] = {}
    for root, _dirs, files in os.walk(articles_dir):
        rel = os.path.relpath(root, articles_dir).replace(os.sep, "/")
        names = sorted(f for f in files if f.endswith(".parquet") and not f.startswith((".", "_")))
        if rel == "." or not names or not _selected(rel, only):
            continue
        part = parts[rel] = Part(rel, [])
        for name in names:
            path = os.path.join(root, name)
            size = os.path.getsize(path)
            if size < target_bytes:
                part.small.append((path, size))
            else:
                part.kept += 1
    return [p for rel, p in sorted(parts.items())
            if len(p.small) > max(1, math.ceil(p.small_bytes / target_bytes))]


def compact(output: str, *, run_id: str, target_bytes: int = DEFAULT_TARGET_MB * 2**20,
            row_group_bytes: int = ROW_GROUP_MB * 2**20, only=None) -> dict:
    """Compact every planned partition; write _runs/RUN_ID.json when anything changed."""
    from pipeline.commit import swap_partition
    from pipeline.run import write_summary
    started = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    t0 = time.monotonic()
    articles_dir = os.path.join(output, "articles")
    todo = plan(articles_dir, target_bytes, only) if os.path.isdir(articles_dir) else []
    staging = os.path.join(output, "_staging", run_id)
    added, removed, details, committed_at = [], [], [], None
    try:
        for part in todo:
            new_dir = os.path.join(staging, "swap", part.rel)
            os.makedirs(new_dir)
            small = {path for path, _size in part.small}
            live = os.path.join(articles_dir, part.rel)
            for name in sorted(os.listdir(live)):                 # kept files go along unchanged
                if os.path.join(live, name) not in small and os.path.isfile(os.path.join(live, name)):
                    os.link(os.path.join(live, name), os.path.join(new_dir, name))
            written, rows = rewrite(part.small, new_dir, run_id=run_id, target_bytes=target_bytes,
                                    row_group_bytes=row_group_bytes)
            swap_partition(articles_dir, part.rel, new_dir, os.path.join(staging, "old"))
            committed_at = dt.datetime.now(dt.timezone.utc).isoformat()
            removed += [f"articles/{part.rel}/{os.path.basename(p)}" for p, _s in part.small]
            added += [f"articles/{part.rel}/{name}" for name, _size in written]
            details.append({"partition": part.rel, "rows": rows, "files_before": len(part.small),
                            "files_after": len(written), "bytes_before": part.small_bytes,
                            "bytes_after": sum(size for _n, size in written), "files_kept": part.kept})
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        try:
            os.rmdir(os.path.join(output, "_staging"))
        except OSError:
            pass
    summary = {
        "run_id": run_id,
        "kind": "compact",
        "pipeline_version": __version__,
        "started_at": started.isoformat(),
        "finished_at": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
        "seconds": round(time.monotonic() - t0, 2),
        "output": output,
        "committed_at": committed_at,
        "target_file_mb": round(target_bytes / 2**20, 3),
        "row_group_mb": round(row_group_bytes / 2**20, 3),
        "partitions_compacted": len(details),
        "rows_rewritten": sum(d["rows"] for d in details),
        "files_before": sum(d["files_before"] for d in details),
        "files_after": sum(d["files_after"] for d in details),
        "bytes_before": sum(d["bytes_before"] for d in details),
        "bytes_after": sum(d["bytes_after"] for d in details),
        "partitions": details,
        "files_added": sorted(added),
        "files_removed": sorted(removed),
    }
    if details:
        write_summary(output, run_id, summary)
        summary["summary_path"] = os.path.join(output, "_runs", f"{run_id}.json")
    return summary


def _sort_keys(files: list) -> tuple[pa.Table, np.ndarray]:
    """Sort keys of every row (small), with its file index and estimated bytes."""
    tables, est = [], []
    for i, (path, size) in enumerate(files):
        pf = pq.ParquetFile(path)
        cols = [c for c in SORT_KEYS if c in pf.schema_arrow.names]
        t = pf.read(columns=cols).replace_schema_metadata(None)
        n = t.num_rows
        t = t.append_column("_file", pa.array(np.full(n, i, dtype=np.int32)))
        t = t.append_column("_row", pa.array(np.arange(n, dtype=np.int64)))
        tables.append(t)
        est.append(np.full(n, size / max(n, 1)))
    keys = pa.concat_tables(tables, promote_options="default")
    return keys, np.concatenate(est) if est else np.zeros(0)


def rewrite(files: list, out_dir: str, *, run_id: str, target_bytes: int, row_group_bytes: int):
    """files [(path, bytes)] -> sorted files in out_dir of about target_bytes each.

    Only the sort keys of the whole partition are held at once; the rows of one output
    file (at most ~target_bytes compressed) are gathered from the inputs, put in order
    and written in row groups of ~row_group_bytes.  Returns ([(name, bytes)], rows).
    """
    from pipeline.sinks import parquet_writer
    keys, est = _sort_keys(files)
    order = pc.sort_indices(keys, sort_keys=[(c, "ascending", "at_end") for c in SORT_KEYS
                                             if c in keys.column_names]).to_numpy()
    file_of = keys.column("_file").to_numpy()[order]
    row_of = keys.column("_row").to_numpy()[order]
    cum = np.cumsum(est[order])
    total = float(cum[-1]) if len(cum) else 0.0
    n_out = max(1, math.ceil(total / target_bytes))
    # chunk j holds the sorted rows whose cumulative estimated size falls in its share
    chunk_of = np.minimum((cum - 1e-9) * n_out // max(total, 1e-9), n_out - 1).astype(np.int64) \
        if total else np.zeros(len(order), dtype=np.int64)
    bytes_per_row = total / max(len(order), 1)
    rg_rows = max(1, int(row_group_bytes / max(bytes_per_row, 1)))
    written, rows = [], 0
    for j in range(n_out):
        sel = chunk_of == j
        if not sel.any():
            continue
        table = _gather(files, file_of[sel], row_of[sel])
        name = f"part-{run_id}-c{j:05d}.parquet"
        with open(os.path.join(out_dir, name), "wb") as fh, \
                parquet_writer(fh, table.schema, CODEC, run_id) as writer:
            writer.write_table(table, row_group_size=rg_rows)
        rows += table.num_rows
        written.append((name, os.path.getsize(os.path.join(out_dir, name))))
    expected = sum(pq.ParquetFile(p).metadata.num_rows for p, _s in files)
    if rows != expected:                    # never swap in a partition that lost rows
        raise RuntimeError(f"compact {out_dir}: wrote {rows} rows of {expected}")
    return written, rows


def _gather(files: list, file_of: np.ndarray, row_of: np.ndarray) -> pa.Table:
    """The rows (file_of[k], row_of[k]) in that order, reading each input file once."""
    pieces, offsets, base = [], {}, 0
    for i in np.unique(file_of):
        rows_i = np.sort(row_of[file_of == i])
        t = pq.ParquetFile(files[i][0]).read().replace_schema_metadata(None).take(pa.array(rows_i))
        pieces.append(t)
        offsets[int(i)] = (base, rows_i)
        base += len(rows_i)
    table = pa.concat_tables(pieces, promote_options="default")
    position = np.empty(len(file_of), dtype=np.int64)
    for i, (start, rows_i) in offsets.items():
        mask = file_of == i
        position[mask] = start + np.searchsorted(rows_i, row_of[mask])
    return table.take(pa.array(position))


def format_summary(s: dict) -> str:
    if not s["partitions_compacted"]:
        return "compact: nothing to compact (no partition holds several files below the target size)"
    mb = 2**20
    lines = [f"compact {s['run_id']}  {s['seconds']} s",
             f"  partitions  {s['partitions_compacted']}",
             f"  files       {s['files_before']} -> {s['files_after']}",
             f"  bytes       {s['bytes_before'] / mb:.1f} MB -> {s['bytes_after'] / mb:.1f} MB",
             f"  rows        {s['rows_rewritten']} (unchanged)",
             f"  summary     {s['summary_path']}"]
    return "\n".join(lines)

"""The driver-side commit of a run: dedup applied, files moved into place, summary written.

Runs after the Beam job finished.  Every article file appears under DIR/articles/ by
one rename of a complete file (append mode) or one rename of a complete partition
folder (reprocess mode), so readers never see a partial file.  A run killed before or
during commit leaves at most whole files; its staging folder is removed by the next run.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections import Counter, defaultdict

import pyarrow as pa
import pyarrow.compute as pc
from apache_beam.io.filesystems import FileSystems

from pipeline import schema
from pipeline.sinks import compression, ensure_dir, join, list_files, read_table, write_table


def _rel(path: str, base: str) -> str:
    return path[len(base):].lstrip("/\\")


def _partition_of(rel: str) -> str:
    return os.path.dirname(rel).replace("\\", "/")


def _load_losers(folder: str) -> list[dict]:
    out = []
    for path in list_files(folder, ".jsonl"):
        with FileSystems.open(path, compression_type="uncompressed") as fh:
            out.extend(json.loads(line) for line in fh.read().decode("utf-8").splitlines() if line)
    return out


def _move(src: str, dst: str):
    ensure_dir(os.path.dirname(dst) if "://" not in dst else dst)
    FileSystems.rename([src], [dst])


def _kind_counts(table: pa.Table, rel: str) -> Counter:
    if "source_kind" in table.column_names:
        return Counter(table.column("source_kind").to_pylist())
    for seg in rel.split("/"):
        if seg.startswith("source_kind="):
            return Counter({seg.split("=", 1)[1]: table.num_rows})
    return Counter({"unknown": table.num_rows})


def commit(*, output: str, staging: str, run_id: str, config, rejected_at: dt.datetime,
           part_prefix: str | None = None) -> dict:
    """Apply dedup, commit articles and rejects; return the counts it committed.

    `part_prefix` names the files (default: the run id); a stream commits many times under
    one run id and passes RUN_ID-cNNNN so no commit's names meet another's.
    """
    prefix = part_prefix or run_id
    codec = compression(config.out.compression)
    losers = _load_losers(join(staging, "dedup"))

    ready, written = _ready_articles(join(staging, "articles"), losers, config, codec,
                                     run_id, prefix)
    if getattr(config.out, "target_file_mb", 0) and "://" not in staging:
        ready = _merge_small(ready, staging, run_id, int(config.out.target_file_mb * 2**20), prefix)
    added, replaced, removed = _place_articles(ready, join(output, "articles"), staging,
                                               run_id, config.mode)

    rejects_dir = join(output, "rejects", f"run_id={run_id}")
    _stage_dedup_rejects(losers, staging, rejected_at, run_id, codec)
    rejected, by_reason, moved = _commit_rejects(staging, rejects_dir, run_id, prefix)
    added += moved
    return {"written": written,
            "duplicates": Counter(l["source_kind"] for l in losers),
            "rejected": rejected, "rejected_by_reason": by_reason, "replaced": replaced,
            "files": len(ready),
            # commits are serialized by the output lock: loaders apply manifests in this order
            "committed_at": dt.datetime.now(dt.timezone.utc).isoformat(),
            # the manifest: paths relative to DIR, for loaders (DESIGN: Manifests)
            "files_added": sorted(added), "files_removed": sorted(removed)}


def _ready_articles(staged_dir: str, losers: list, config, codec, run_id: str,
                    prefix: str) -> tuple[list, Counter]:
    """The staged article files less dedup losers, as (source path, final rel path, ids),
    and the rows they hold per kind."""
    # Losers are counted per (input_ref, id): two units can share an input_ref (the same
    # feed listed twice); rows with the same pair are interchangeable, so drop that many.
    by_file = defaultdict(Counter)
    for loser in losers:
        by_file[loser["file"]][(loser["input_ref"], loser["id"])] += 1
    ready, written = [], Counter()
    for n, path in enumerate(list_files(staged_dir)):
        rel = _rel(path, staged_dir)
        if path in by_file:
            table, path = _drop_losers(path, by_file[path], codec, run_id)
            if table is None:
                continue
        else:
            cols = ["id"] + (["source_kind"] if "source_kind" not in config.out.partition_by else [])
            table = read_table(path, columns=cols)
        written += _kind_counts(table, rel)
        final_name = f"part-{prefix}-{n:05d}.parquet"
        ready.append((path, join(_partition_of(rel), final_name) if _partition_of(rel) else final_name,
                      table.column("id").to_pylist()))
    return ready, written


def _drop_losers(path: str, losers: Counter, codec, run_id: str):
    """Rewrite one staged file without its dedup losers: (table, new path), or (None, None)
    when nothing is left."""
    table = read_table(path)
    to_drop = Counter(losers)
    keep = []
    for ref, id_ in zip(table.column("input_ref").to_pylist(), table.column("id").to_pylist()):
        drop = to_drop[(ref, id_)] > 0
        if drop:
            to_drop[(ref, id_)] -= 1
        keep.append(not drop)
    table = table.filter(pa.array(keep))
    FileSystems.delete([path])
    if table.num_rows == 0:
        return None, None
    path = path[:-len(".parquet")] + "-dedup.parquet"
    write_table(table, path, codec, run_id)
    return table, path


def _place_articles(ready: list, articles_dir: str, staging: str, run_id: str,
                    mode: str) -> tuple[list, int, list]:
    """Move the ready files under articles/ (reprocess swaps whole partitions); returns the
    manifest's added paths, rows replaced and paths removed."""
    added = [f"articles/{rel}" for _src, rel, _ids in ready]
    if mode == "reprocess":
        replaced, rewritten, removed = _swap_partitions(ready, articles_dir, staging, run_id)
        return added + rewritten, replaced, removed
    for src, rel, _ids in ready:
        _move(src, join(articles_dir, rel))
    return added, 0, []


def _stage_dedup_rejects(losers: list, staging: str, rejected_at: dt.datetime, run_id: str,
                         codec) -> None:
    """One reject row per dedup loser, staged beside the pipeline's own rejects."""
    rows = [{
        "input_ref": l["input_ref"], "source_kind": l["source_kind"], "stage": "dedup",
        "reason": "duplicate", "detail": f"kept {l['kept_id']} ({l['why']})",
        "rejected_at": rejected_at, "raw": None, "run_id": run_id} for l in losers]
    if rows:
        write_table(pa.Table.from_pylist(rows, schema=schema.REJECT_SCHEMA),
                    join(staging, "rejects", "part-dedup.parquet"), codec, run_id)


def _commit_rejects(staging: str, rejects_dir: str, run_id: str,
                    prefix: str) -> tuple[Counter, Counter, list]:
    """Move the staged reject files under rejects/run_id=…; count them per kind and per
    stage:reason (duplicates are counted apart, as `duplicates`)."""
    rejected, by_reason, added = Counter(), Counter(), []
    for n, path in enumerate(list_files(join(staging, "rejects"))):
        table = read_table(path, columns=["source_kind", "stage", "reason"])
        for kind, stage, reason in zip(*(table.column(c).to_pylist() for c in ("source_kind", "stage", "reason"))):
            if stage == "dedup" and reason == "duplicate":
                continue
            rejected[kind] += 1
            by_reason[f"{stage}:{reason}"] += 1
        name = f"part-{n:05d}.parquet" if prefix == run_id else f"part-{prefix}-{n:05d}.parquet"
        _move(path, join(rejects_dir, name))
        added.append(f"rejects/run_id={run_id}/{name}")
    return rejected, by_reason, added


def _merge_small(ready, staging: str, run_id: str, target_bytes: int, prefix: str) -> list:
    """Size the run's files: per partition, staged files below the target are merged into
    as few as the target allows (sorted like `newsbeam compact`), before anything is
    committed.  Bundles x partitions otherwise make one small file each."""
    import math

    from pipeline.compact import ROW_GROUP_MB, rewrite
    by_part = defaultdict(list)
    for item in ready:
        by_part[_partition_of(item[1])].append(item)
    out = []
    for part, items in sorted(by_part.items()):
        small = [(src, os.path.getsize(src)) for src, _rel, _ids in items if os.path.getsize(src) < target_bytes]
        if len(small) <= max(1, math.ceil(sum(size for _s, size in small) / target_bytes)):
            out.extend(items)
            continue
        merged = {src for src, _size in small}
        out.extend(item for item in items if item[0] not in merged)
        merged_dir = join(staging, "merged", part)
        ensure_dir(merged_dir)
        written, _rows = rewrite(small, merged_dir, run_id=run_id, target_bytes=target_bytes,
                                 row_group_bytes=ROW_GROUP_MB * 2**20)
        for k, (name, _size) in enumerate(written):
            # named by the commit's prefix: a stream's commits never reuse a file name
            final = f"part-{prefix}-m{k:05d}.parquet"
            path = join(merged_dir, final)
            os.replace(join(merged_dir, name), path)
            out.append((path, join(part, final), read_table(path, columns=["id"]).column("id").to_pylist()))
        FileSystems.delete(sorted(merged))
    return out


def _swap_partitions(ready, articles_dir: str, staging: str, run_id: str) -> tuple[int, list[str], list[str]]:
    """Reprocess: rebuild each touched partition beside it, then swap it in by rename.

    Old rows whose id the run produced again are dropped wherever they were (also from
    a partition the new version dates differently); other old rows are kept.  A file
    that loses rows is rewritten under a new name, so the manifest lists it as removed
    and its rewrite as added.  Returns (rows replaced, rewrites added, files removed),
    paths relative to DIR.
    """
    if "://" in articles_dir:
        raise NotImplementedError("reprocess mode swaps partition folders and needs a local output")
    new_ids = set()
    by_part = defaultdict(list)
    for src, rel, ids in ready:
        new_ids.update(ids)
        by_part[_partition_of(rel)].append((src, rel))
    old_by_part = defaultdict(list)
    for path in list_files(articles_dir):
        old_by_part[_partition_of(_rel(path, articles_dir))].append(path)
    touched = set(by_part)
    old_tables = {}
    for part, paths in old_by_part.items():
        for path in paths:
            ids = read_table(path, columns=["id"]).column("id").to_pylist()
            if new_ids.intersection(ids):
                touched.add(part)
                old_tables[path] = ids
    replaced, rewrites, removed = 0, [], []
    swap_root = join(staging, "swap")
    for part in sorted(touched):
        new_dir = join(swap_root, part)
        ensure_dir(new_dir)
        for n, path in enumerate(old_by_part.get(part, [])):
            if path in old_tables:
                table = read_table(path)
                keep = pc.invert(pc.is_in(table.column("id"), pa.array(sorted(new_ids))))
                replaced += table.num_rows - pc.sum(keep.cast("int64")).as_py()
                table = table.filter(keep)
                removed.append("articles/" + _rel(path, articles_dir).replace("\\", "/"))
                if table.num_rows:
                    rewritten = f"part-{run_id}-r{n:05d}.parquet"
                    write_table(table, join(new_dir, rewritten), "zstd", run_id)
                    rewrites.append(f"articles/{part}/{rewritten}")
            else:
                os.link(path, join(new_dir, os.path.basename(path)))
        for src, rel in by_part.get(part, []):
            os.replace(src, join(swap_root, rel))
        swap_partition(articles_dir, part, new_dir, join(staging, "old"))
    return replaced, rewrites, removed


def swap_partition(articles_dir: str, part: str, new_dir: str, old_root: str):
    """Replace the live partition folder by new_dir, then drop the old one.

    On Linux the two folders are exchanged in one renameat2(RENAME_EXCHANGE): a reader
    lists either the old files or the new ones.  Elsewhere (or on a file system without
    it) two renames: never a row twice, but a reader listing files in the instant
    between them sees the partition missing (the documented window).  An empty new_dir
    removes the partition.
    """
    live = join(articles_dir, part)
    old = join(old_root, part)
    if os.path.isdir(live) and os.listdir(new_dir) and _exchange(new_dir, live):
        shutil.rmtree(new_dir, ignore_errors=True)             # now holds the old files
        shutil.rmtree(old_root, ignore_errors=True)
        return
    if os.path.isdir(live):
        ensure_dir(os.path.dirname(old))
        os.replace(live, old)
    ensure_dir(os.path.dirname(live))
    if os.listdir(new_dir):
        os.replace(new_dir, live)
    shutil.rmtree(old_root, ignore_errors=True)


def _exchange(a: str, b: str) -> bool:
    """Atomically exchange two paths (Linux renameat2 RENAME_EXCHANGE); False if unsupported."""
    import ctypes
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    AT_FDCWD, RENAME_EXCHANGE = -100, 2
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return fn(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0

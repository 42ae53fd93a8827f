"""`newsbeam compact` and the per-commit manifests: same rows, fewer files, loaders can follow."""
from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.cli import main
from tests import many_runs
from tests.conftest import duck_count, last_summary, no_hidden_leftovers, read_articles, run_cli


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """Three real runs into one output: several small files in the dated and undated partitions."""
    work = tmp_path_factory.mktemp("many")
    return many_runs.build(work / "out", work, runs=3, per_run=3)


@pytest.fixture
def out(built, tmp_path) -> Path:
    dest = tmp_path / "out"
    shutil.copytree(built, dest)
    return dest


def _files(out: Path) -> dict[str, list[str]]:
    parts = {}
    for path in sorted((out / "articles").rglob("*.parquet")):
        parts.setdefault(path.parent.name, []).append(path.name)
    return parts


def _rows(out: Path) -> Counter:
    t = read_articles(out)
    return Counter(zip(t.column("id").to_pylist(), t.column("content_hash").to_pylist(),
                       t.column("published_date").to_pylist()))


def _state(out: Path) -> dict:
    return {str(p.relative_to(out)): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in out.rglob("*") if p.is_file() and "_state" not in p.parts}


def test_compact_leaves_one_file_per_partition_with_the_same_rows(out):
    before_files, before_rows = _files(out), _rows(out)
    assert max(len(v) for v in before_files.values()) == 3        # one small file per run
    assert main(["compact", str(out)]) == 0
    after = _files(out)
    assert set(after) == set(before_files)
    assert all(len(v) == 1 for v in after.values()), after
    assert _rows(out) == before_rows                              # ids, content hashes, partitions
    assert duck_count(out) == sum(before_rows.values())
    no_hidden_leftovers(out)


def test_compacted_rows_are_sorted_by_source_published_at_and_id(out):
    assert main(["compact", str(out)]) == 0
    for path in (out / "articles").rglob("*.parquet"):
        t = pq.read_table(path, columns=["source", "published_at", "id"])
        keys = list(zip(t.column("source").to_pylist(),
                        [v.timestamp() if v else float("inf") for v in t.column("published_at").to_pylist()],
                        t.column("id").to_pylist()))
        assert keys == sorted(keys), path


def test_compact_writes_a_manifest_of_what_it_added_and_removed(out):
    before = {f"articles/{p}/{n}" for p, names in _files(out).items() for n in names}
    assert main(["compact", str(out)]) == 0
    summary = last_summary(out)
    assert summary["kind"] == "compact"
    after = {f"articles/{p}/{n}" for p, names in _files(out).items() for n in names}
    assert set(summary["files_removed"]) == before - after
    assert set(summary["files_added"]) == after - before
    assert summary["files_before"] == len(before) and summary["files_after"] == len(after)
    meta = pq.read_metadata(out / summary["files_added"][0]).metadata
    assert meta[b"newsbeam.run_id"].decode() == summary["run_id"]
    assert meta[b"newsbeam.schema_version"] == b"1"


def test_a_second_compact_changes_nothing(out, capsys):
    assert main(["compact", str(out)]) == 0
    state = _state(out)
    assert main(["compact", str(out)]) == 0
    assert "nothing to compact" in capsys.readouterr().out
    assert _state(out) == state                                   # no file rewritten, no new summary


def test_compact_only_touches_the_partitions_asked_for(out):
    before = _files(out)
    assert main(["compact", str(out), "--partition", "published_date=__HIVE_DEFAULT_PARTITION__"]) == 0
    after = _files(out)
    assert len(after["published_date=__HIVE_DEFAULT_PARTITION__"]) == 1
    assert {k: v for k, v in after.items() if "DEFAULT" not in k} == \
        {k: v for k, v in before.items() if "DEFAULT" not in k}


def test_files_at_or_above_the_target_size_are_left_alone(out):
    state = _state(out)
    assert main(["compact", str(out), "--target-file-mb", "0.001"]) == 0     # every file is "big"
    assert _state(out) == state


def test_compact_exits_3_naming_the_holder_while_another_writer_holds_the_output(out, capsys):
    from pipeline.lock import output_lock
    state = _state(out)
    with output_lock(str(out), kind="run", run_id="20990101T000000Z-holder"):
        assert main(["compact", str(out)]) == 3
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "20990101T000000Z-holder" in err and str(os.getpid()) in err
    assert _state(out) == state
    assert main(["compact", str(out)]) == 0                       # released: now it runs


@pytest.mark.parametrize("args", [["--partition", "nokey"], ["--partition", "colour=red"],
                                  ["--target-file-mb", "0"]])
def test_bad_compact_arguments_exit_2_with_one_line(out, capsys, args):
    assert main(["compact", str(out), *args]) == 2
    assert capsys.readouterr().err.startswith("newsbeam: error: ")


def test_row_groups_follow_the_sort_so_readers_can_prune(out):
    from pipeline.compact import compact
    compact(str(out), run_id="20990101T000000Z-rowgrp", row_group_bytes=1)   # one row per group
    for path in (out / "articles").rglob("*.parquet"):
        md = pq.read_metadata(path)
        col = md.schema.to_arrow_schema().get_field_index("source")
        stats = [md.row_group(i).column(col).statistics for i in range(md.num_row_groups)]
        assert md.num_row_groups == md.num_rows
        assert [s.min for s in stats] == sorted(s.min for s in stats)


def test_a_partition_bigger_than_the_target_splits_into_sorted_files_of_about_the_target(out):
    from pipeline.compact import compact
    before = _rows(out)
    part = max((out / "articles").iterdir(), key=lambda p: sum(f.stat().st_size for f in p.glob("*.parquet")))
    total = sum(f.stat().st_size for f in part.glob("*.parquet"))
    compact(str(out), run_id="20990101T000000Z-split", target_bytes=total // 2 + 1,
            only={"published_date": {part.name.split("=", 1)[1]}})
    files = sorted(part.glob("*.parquet"))
    assert len(files) == 2
    keys = []
    for f in files:                                           # c00000 then c00001: one sorted run
        t = pq.read_table(f, columns=["source", "published_at", "id"])
        keys += list(zip(t.column("source").to_pylist(), t.column("published_at").to_pylist(),
                         t.column("id").to_pylist()))
    assert keys == sorted(keys, key=lambda k: (k[0], k[1] is None, k[1] or 0, k[2]))
    assert _rows(out) == before


def test_a_lock_left_by_a_killed_writer_is_taken_over(out):
    import subprocess
    import sys
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom pipeline.lock import output_lock\n"
         "output_lock(sys.argv[1], kind='run', run_id='killed').__enter__()\n"
         "print('held', flush=True)\ntime.sleep(120)\n", str(out)],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    holder.kill()                                              # SIGKILL: it never releases
    holder.wait()
    assert main(["compact", str(out)]) == 0


# ---- manifests of runs ----------------------------------------------------------------------

def test_every_run_summary_lists_the_files_it_added(out):
    for summary_path in (out / "_runs").glob("*.json"):
        s = json.loads(summary_path.read_text())
        assert s["kind"] == "run" and s["files_removed"] == []
        assert s["files_added"] and all((out / f).is_file() for f in s["files_added"])
        assert any(f.startswith("rejects/") for f in s["files_added"]) == (out / "rejects" / f"run_id={s['run_id']}").is_dir()


def _readme_loader(out: Path, db: Path):
    """Run the DuckDB loader recipe of the README against `out`."""
    text = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    section = text[text.index("### Manifests"):]
    code = section[section.index("```python\n") + 10:]
    code = code[:code.index("```")]
    code = code.replace('DIR = "out/sample"', f"DIR = {str(out)!r}").replace('"warehouse.duckdb"', repr(str(db)))
    try:
        exec(compile(code, "README loader", "exec"), {})
    except SystemExit as e:
        assert not e.code


def test_the_readme_loader_keeps_a_warehouse_table_equal_to_the_output(out, tmp_path):
    import duckdb
    db = tmp_path / "wh.duckdb"
    _readme_loader(out, db)                                   # three runs
    assert main(["compact", str(out)]) == 0
    s = dict(many_runs.b.STORIES[1], slug="new-story")
    (tmp_path / "more").mkdir()
    (tmp_path / "more" / "new.html").write_text(many_runs.b.html_page(s))
    assert run_cli("--input", str(tmp_path / "more"), "--output", str(out), "--no-entities") == 0
    _readme_loader(out, db)                                   # a compact and a run
    _readme_loader(out, db)                                   # nothing new
    con = duckdb.connect(str(db))
    loaded = Counter(con.execute("SELECT id, content_hash, CAST(published_date AS VARCHAR) FROM articles").fetchall())
    assert loaded == Counter({(i, h, None if d is None else str(d)): n for (i, h, d), n in _rows(out).items()})


def test_a_loader_following_the_manifests_ends_with_exactly_the_files_on_disk(out, tmp_path):
    s = dict(many_runs.b.STORIES[0], slug="harbor-bridge-vote-r0-0")     # re-run one page, reprocessed
    s["paragraphs"] = [p + " Update 0.0." for p in s["paragraphs"]]
    inp = tmp_path / "again"
    inp.mkdir()
    (inp / "r0-0.html").write_text(many_runs.b.html_page(s, host=many_runs.HOSTS[0]))
    assert run_cli("--input", str(inp), "--output", str(out), "--no-entities", "--mode", "reprocess") == 0
    reprocess = last_summary(out)
    assert reprocess["files_removed"] and reprocess["replaced_rows"] == 1
    assert main(["compact", str(out)]) == 0
    loaded = set()
    summaries = [json.loads(p.read_text()) for p in (out / "_runs").glob("*.json")]
    for s in sorted(summaries, key=lambda s: s["committed_at"]):
        assert not set(s["files_removed"]) - loaded               # only ever removes what it loaded
        loaded = (loaded - set(s["files_removed"])) | set(s["files_added"])
    on_disk = {str(p.relative_to(out)) for p in out.rglob("*.parquet") if p.parts[len(out.parts)] in ("articles", "rejects")}
    assert loaded == on_disk


# ---- a run sizes its own files --------------------------------------------------------------

@pytest.mark.parametrize("target_mb, files", [(128, 1), (0, 4)])
def test_a_run_merges_its_small_files_per_partition_up_to_the_target(tmp_path, target_mb, files):
    inp = tmp_path / "in"
    inp.mkdir()
    for i in range(7):                                    # one date: one partition
        s = dict(many_runs.b.STORIES[0], slug=f"same-day-{i}")
        s["paragraphs"] = [p + f" Note {i}." for p in s["paragraphs"]]
        (inp / f"p{i}.html").write_text(many_runs.b.html_page(s))
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"write:\n  rows_per_file: 2\n  target_file_mb: {target_mb}\n")
    out = tmp_path / "out"
    assert run_cli("--input", str(inp), "--output", str(out), "--config", str(cfg), "--no-entities") == 0
    parts = _files(out)
    assert [len(v) for v in parts.values()] == [files]
    assert read_articles(out).num_rows == 7
    assert sorted(last_summary(out)["files_added"]) == sorted(f"articles/{p}/{n}" for p, ns in parts.items() for n in ns)
    no_hidden_leftovers(out)

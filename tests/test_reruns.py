"""Crash safety, idempotent re-runs and atomic reprocessing."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests import builders as b
from tests.conftest import (assert_accounting, duck_count, last_summary, no_hidden_leftovers,
                            read_articles, read_rejects, run_cli)


def _corpus(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        s = dict(b.STORIES[i % 3])
        s["slug"] = f"{s['slug']}-{i}"
        s["paragraphs"] = [p + f" Item {i}." for p in s["paragraphs"]]
        (folder / f"p{i:03d}.html").write_text(b.html_page(s))
    return folder


def _visible_files_are_whole(out: Path):
    for path in (out / "articles").rglob("*"):
        if path.is_file():
            assert path.suffix == ".parquet" and not path.name.startswith((".", "_")), path
            pq.read_metadata(path)          # a partial file has no footer and fails here


@pytest.mark.parametrize("kill_after", [1.0, 4.0, 7.0])
def test_a_run_killed_at_any_point_leaves_no_partial_file_and_the_next_run_completes(tmp_path, kill_after):
    inp = _corpus(tmp_path / "in", 40)
    out = tmp_path / "out"
    exe = Path(sys.executable).with_name("newsbeam")
    cmd = [str(exe), "run", "--input", str(inp), "--output", str(out), "--no-entities"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(kill_after)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    if (out / "articles").exists():
        _visible_files_are_whole(out)
    assert run_cli("--input", str(inp), "--output", str(out), "--no-entities") == 0
    _visible_files_are_whole(out)
    no_hidden_leftovers(out)
    table = read_articles(out)
    assert table.num_rows == 40
    assert len(set(table.column("id").to_pylist())) == 40
    assert_accounting(last_summary(out))


def test_reprocess_replaces_rows_instead_of_adding_them(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    for s in b.STORIES:
        (inp / f"{s['slug']}.html").write_text(b.html_page(s))
    out = tmp_path / "out"
    assert run_cli("--input", str(inp), "--output", str(out), "--no-entities") == 0
    # a newer version (here: a corrected page) re-run over the same archive
    fixed = dict(b.STORIES[0])
    fixed["paragraphs"] = fixed["paragraphs"] + ["This story has been corrected to show the vote was 6-3."]
    (inp / f"{fixed['slug']}.html").write_text(b.html_page(fixed))
    assert run_cli("--input", str(inp), "--output", str(out), "--no-entities", "--mode", "reprocess") == 0
    table = read_articles(out)
    assert table.num_rows == 3 == duck_count(out)
    bodies = [r["body"] for r in table.to_pylist() if r["url"] == b.url_of(fixed)]
    assert len(bodies) == 1 and "has been corrected" in bodies[0]
    summary = last_summary(out)
    assert summary["replaced_rows"] == 3
    assert_accounting(summary)
    no_hidden_leftovers(out)


def test_reprocess_moves_an_article_whose_date_changed_and_keeps_other_rows(tmp_path):
    inp1, inp2 = tmp_path / "a", tmp_path / "b"
    inp1.mkdir(), inp2.mkdir()
    (inp1 / "x.html").write_text(b.html_page(b.STORIES[0]))
    (inp2 / "y.html").write_text(b.html_page(b.STORIES[1]))
    out = tmp_path / "out"
    assert run_cli("--input", str(inp1), "--input", str(inp2), "--output", str(out), "--no-entities") == 0
    moved = dict(b.STORIES[0])
    page = b.html_page(moved).replace(f'content="{moved["date"]}T09:30:00-04:00"', 'content="2023-11-20T09:30:00Z"')
    (inp1 / "x.html").write_text(page)
    assert run_cli("--input", str(inp1), "--output", str(out), "--no-entities", "--mode", "reprocess") == 0
    table = read_articles(out)
    assert table.num_rows == 2
    dates = {r["url"]: str(r["published_date"]) for r in table.to_pylist()}
    assert dates[b.url_of(moved)].startswith("2023-11-20")
    assert b.url_of(b.STORIES[1]) in dates                    # the other input's row is kept
    assert not (out / "articles" / f"published_date={moved['date']}").exists()


def test_partition_values_from_input_cannot_escape_the_output(tmp_path):
    from pipeline.sinks import partition_value
    for hostile in ("../../etc", "a/b", "..", ".hidden", "x\x00y", "日本"):
        value = partition_value(hostile)
        assert "/" not in value and "\x00" not in value and not value.startswith(".")
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "a.jsonl").write_text('{"url": "https://ex.example/a", "text": "Body of the story is here.", '
                                 '"source": "../../../../tmp/evil"}\n')
    cfg = tmp_path / "c.yaml"
    cfg.write_text("write:\n  partition_by: [source]\n")
    out = tmp_path / "out"
    assert run_cli("--input", str(inp), "--output", str(out), "--config", str(cfg), "--no-entities") == 0
    written = [p for p in out.rglob("*.parquet")]
    assert written and all(str(p).startswith(str(out)) for p in written)
    assert [p.name for p in (out / "articles").iterdir()] == ["source=%2E.%2F..%2F..%2F..%2Ftmp%2Fevil"]
    assert read_articles(out).column("source").to_pylist() == ["../../../../tmp/evil"]

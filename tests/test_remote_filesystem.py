"""Inputs and outputs on a non-local Beam filesystem (memfs://, a stand-in for gs:// or s3://)."""
from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq

from tests import builders as b
from tests import memfs
from tests.conftest import run_cli


def test_a_run_reads_and_writes_through_beam_filesystems_only(tmp_path):
    memfs.FILES.clear()
    for s in b.STORIES:
        memfs.FILES[f"memfs://in/pages/{s['slug']}.html"] = b.html_page(s).encode("utf-8")
    memfs.FILES["memfs://in/pages/wire.jsonl"] = b"{broken\n"
    assert run_cli("--input", "memfs://in/pages/", "--output", "memfs://bucket/news", "--no-entities") == 0
    articles = {p: v for p, v in memfs.FILES.items() if p.startswith("memfs://bucket/news/articles/")}
    assert sorted({p.split("/")[5] for p in articles}) == sorted(f"published_date={s['date']}" for s in b.STORIES)
    rows = pa.concat_tables([pq.read_table(pa.BufferReader(v)) for v in articles.values()])
    assert rows.num_rows == 3
    rejects = [p for p in memfs.FILES if p.startswith("memfs://bucket/news/rejects/")]
    assert len(rejects) == 1
    runs = [p for p in memfs.FILES if p.startswith("memfs://bucket/news/_runs/")]
    summary = json.loads(memfs.FILES[runs[0]])
    assert summary["accounting"]["ok"] and summary["written"]["total"] == 3
    assert not [p for p in memfs.FILES if "/_staging/" in p]


def test_a_second_run_on_a_remote_output_skips_what_is_there(tmp_path):
    memfs.FILES.clear()
    memfs.FILES["memfs://in/a.html"] = b.html_page(b.STORIES[0]).encode("utf-8")
    for _ in range(2):
        assert run_cli("--input", "memfs://in/a.html", "--output", "memfs://bucket/o", "--no-entities") == 0
    runs = sorted(p for p in memfs.FILES if p.startswith("memfs://bucket/o/_runs/"))
    outcomes = sorted((s["written"]["total"], s["already_present"]["total"])
                      for s in (json.loads(memfs.FILES[p]) for p in runs))
    assert outcomes == [(0, 1), (1, 0)]

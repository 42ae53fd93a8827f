"""The real CLI on each input kind; output read back with pyarrow and DuckDB."""
from __future__ import annotations

import gzip
import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pytest

from pipeline.schema import ARTICLE_SCHEMA, file_schema
from tests import builders as b
from tests.conftest import (assert_accounting, duck, duck_count, last_summary, no_hidden_leftovers,
                            read_articles, read_rejects, run_cli)


def _write(folder: Path, name: str, data) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def _check_table(out: Path, expected_rows: int):
    table = read_articles(out)
    assert table.num_rows == expected_rows
    assert duck_count(out) == expected_rows
    stored = file_schema(["published_date"])
    for field in stored:
        assert table.schema.field(field.name).type == field.type, field.name
    for row in table.to_pylist():
        assert row["body"].strip()
        assert row["id"] and row["content_hash"] and row["word_count"] > 0
    no_hidden_leftovers(out)
    return table


def test_text_scrapes_are_written_with_title_from_first_line(tmp_path):
    inp = tmp_path / "in"
    for s in b.STORIES:
        _write(inp, f"{s['slug']}.txt", b.text_scrape(s))
    out = tmp_path / "out"
    assert run_cli("--input", str(inp), "--output", str(out)) == 0
    table = _check_table(out, 3)
    assert sorted(table.column("title").to_pylist()) == sorted(s["title"] for s in b.STORIES)
    assert set(table.column("source_kind").to_pylist()) == {"text"}
    summary = last_summary(out)
    assert_accounting(summary)
    assert summary["seen"]["by_kind"] == {"text": 3}


def test_html_pages_are_extracted_and_partitioned_by_publication_date(tmp_path):
    inp = tmp_path / "in"
    for s in b.STORIES:
        _write(inp, f"{s['slug']}.html", b.html_page(s))
    out = tmp_path / "out"
    assert run_cli("--input", str(inp), "--output", str(out)) == 0
    table = _check_table(out, 3)
    parts = sorted(p.name for p in (out / "articles").iterdir())
    assert parts == sorted(f"published_date={s['date']}" for s in b.STORIES)
    rows = {r["url"]: r for r in table.to_pylist()}
    first = rows[b.url_of(b.STORIES[0])]
    assert "Port Ellis city council voted" in first["body"]
    assert "\n\n" in first["body"]                       # paragraph breaks kept
    assert "Privacy" not in first["body"] and "Home" not in first["body"]
    assert first["source"] == "example-news.com"
    duck_rows = duck(out, "WHERE published_date = '2023-10-03'")
    assert len(duck_rows) == 1
    assert_accounting(last_summary(out))


def test_feed_entries_with_full_content_need_no_network(tmp_path):
    inp = _write(tmp_path / "in", "news.rss", b.rss(b.STORIES))
    out = tmp_path / "out"
    assert run_cli("--input", str(inp), "--output", str(out)) == 0
    table = _check_table(out, 3)
    assert set(table.column("source_kind").to_pylist()) == {"feed"}
    row = table.to_pylist()[0]
    assert row["authors"] == ["Staff Writer"]
    assert row["published_at_source"] == "feed"
    assert row["published_at"].isoformat().startswith("2023-10-03T12:05:00")
    assert "#" in row["input_ref"]
    summary = last_summary(out)
    assert_accounting(summary)
    assert summary["seen"]["by_kind"] == {"feed": 3}


def test_jsonl_invalid_lines_are_rejected_and_valid_lines_written(tmp_path):
    lines = b.jsonl_lines(b.STORIES)
    lines.insert(1, "{not json")
    lines.insert(3, '{"url": "https://www.example-news.com/empty"}')
    data = gzip.compress(("\n".join(lines) + "\n").encode("utf-8"))
    inp = _write(tmp_path / "in", "wire.jsonl.gz", data)
    out = tmp_path / "out"
    assert run_cli("--input", str(inp), "--output", str(out)) == 0
    _check_table(out, 3)
    rejects = read_rejects(out).to_pylist()
    assert sorted(r["reason"] for r in rejects) == ["jsonl_invalid", "jsonl_missing_body"]
    assert {r["input_ref"].rsplit(":", 1)[1] for r in rejects} == {"2", "4"}
    summary = last_summary(out)
    assert_accounting(summary)
    assert summary["seen"]["by_kind"] == {"jsonl": 5}


def test_warc_html_responses_are_articles_and_images_are_not(tmp_path):
    inp = _write(tmp_path / "in", "crawl.warc.gz", b.warc_bytes(b.STORIES[:2]))
    out = tmp_path / "out"
    assert run_cli("--input", str(inp), "--output", str(out)) == 0
    table = _check_table(out, 2)
    refs = table.column("input_ref").to_pylist()
    assert all("urn:uuid:" in r and "@2024-05-01T10:00:00Z" in r for r in refs)
    assert set(table.column("url").to_pylist()) == {b.url_of(s) for s in b.STORIES[:2]}
    summary = last_summary(out)
    assert_accounting(summary)
    assert summary["seen"]["by_kind"] == {"warc": 2}


def test_the_same_article_from_two_inputs_is_written_once(tmp_path):
    inp = tmp_path / "in"
    _write(inp, "page.html", b.html_page(b.STORIES[0]))
    _write(inp, "feed.rss", b.rss(b.STORIES[:1]))
    out = tmp_path / "out"
    assert run_cli("--input", str(inp), "--output", str(out)) == 0
    _check_table(out, 1)
    rejects = read_rejects(out).to_pylist()
    assert [(r["stage"], r["reason"]) for r in rejects] == [("dedup", "duplicate")]
    kept = read_articles(out).column("id").to_pylist()[0]
    assert kept in rejects[0]["detail"]
    summary = last_summary(out)
    assert summary["duplicates"]["total"] == 1
    assert_accounting(summary)


def test_running_the_same_inputs_twice_adds_no_rows(tmp_path):
    inp = tmp_path / "in"
    for s in b.STORIES:
        _write(inp, f"{s['slug']}.html", b.html_page(s))
    out = tmp_path / "out"
    assert run_cli("--input", str(inp), "--output", str(out)) == 0
    assert run_cli("--input", str(inp), "--output", str(out)) == 0
    assert read_articles(out).num_rows == 3
    summary = last_summary(out)
    assert summary["already_present"]["total"] == 3
    assert summary["written"]["total"] == 0
    assert read_rejects(out).num_rows == 0               # polling does not grow rejects/
    assert_accounting(summary)


def test_an_article_without_a_date_goes_to_the_default_partition(tmp_path):
    inp = _write(tmp_path / "in", "undated.txt",
                 "Town fair returns\n\nThe town fair returns with a pie contest and a tractor pull "
                 "on the green, organisers said.\n")
    out = tmp_path / "out"
    assert run_cli("--input", str(inp), "--output", str(out)) == 0
    assert (out / "articles" / "published_date=__HIVE_DEFAULT_PARTITION__").is_dir()
    table = read_articles(out)
    assert table.column("published_date").to_pylist() == [None]
    assert duck(out, "WHERE published_date IS NULL")


def test_all_kinds_in_one_run_add_up(tmp_path):
    inp = tmp_path / "in"
    _write(inp / "text", "a.txt", b.text_scrape(b.STORIES[0]))
    _write(inp / "html", "b.html", b.html_page(b.STORIES[1]))
    _write(inp / "feeds", "c.rss", b.rss(b.STORIES[2:]))
    _write(inp / "jsonl", "d.jsonl", "\n".join(b.jsonl_lines(b.STORIES[:1])).replace(
        "www.example-news.com", "jsonl.example.org") + "\nnot json\n")
    _write(inp / "warc", "e.warc.gz", b.warc_bytes(b.STORIES[1:2]))
    _write(inp, "empty.html", b"")
    out = tmp_path / "out"
    assert run_cli("--input", str(inp), "--output", str(out)) == 0
    summary = last_summary(out)
    assert_accounting(summary)
    assert summary["seen"]["by_kind"] == {"feed": 1, "html": 2, "text": 1, "jsonl": 2, "warc": 1}
    # the WARC copy of story 1 has the same canonical URL as b.html, and a.txt has the
    # same body as the JSONL copy of story 0 under another URL: two duplicates
    assert summary["duplicates"]["by_kind"] == {"text": 1, "warc": 1}
    assert summary["rejected"]["total"] == 2
    assert read_articles(out).num_rows == summary["written"]["total"] == 3


def test_partition_keys_are_configurable(tmp_path):
    inp = tmp_path / "in"
    _write(inp, "b.html", b.html_page(b.STORIES[1]))
    cfg = _write(tmp_path, "c.yaml", "write:\n  partition_by: [source, published_date]\n")
    out = tmp_path / "out"
    assert run_cli("--input", str(inp), "--output", str(out), "--config", str(cfg)) == 0
    assert (out / "articles" / "source=example-news.com" / "published_date=2024-04-18").is_dir()
    table = read_articles(out)
    assert table.column("source").to_pylist() == ["example-news.com"]


def test_two_worker_processes_give_the_same_rows(tmp_path):
    inp = tmp_path / "in"
    for s in b.STORIES:
        _write(inp, f"{s['slug']}.txt", b.text_scrape(s))
    out = tmp_path / "out"
    assert run_cli("--input", str(inp), "--output", str(out), "--no-entities",
                   "--direct_running_mode=multi_processing", "--direct_num_workers=2") == 0
    assert read_articles(out).num_rows == 3
    assert_accounting(last_summary(out))


def test_the_console_script_runs_and_prints_the_summary(tmp_path):
    inp = _write(tmp_path / "in", "a.txt", b.text_scrape(b.STORIES[0]))
    out = tmp_path / "out"
    exe = Path(sys.executable).with_name("newsbeam")
    proc = subprocess.run([str(exe), "run", "--input", str(inp), "--output", str(out), "--no-entities"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "written          1" in proc.stdout
    assert "accounting       ok" in proc.stdout

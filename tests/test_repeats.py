"""The repetition memory (DIR/_state/repeats.parquet): furniture is what recurs across a
source's articles, remembered across runs and streams, learned only after a commit."""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.state import Memory, load_memory, save_memory
from tests.conftest import assert_accounting, last_summary, run_cli
from transforms.repeats import Known, RepeatRule, fingerprint, share_bound, split_repeats

EXE = str(Path(sys.executable).with_name("newsbeam"))
HOST = "https://www.valley-ledger.example/news/"
SOURCE = "valley-ledger.example"
FURNITURE = "Ledger Morning Briefing"              # no catalogue entry or classifier rule takes it
ONCE = "Councillor Maria Okafor said the vote on the Elm Street library would be held in March."

STORIES = [
    "The city council voted on Tuesday to close the old library on Elm Street after years of falling visitor numbers.",
    "Firefighters spent the night battling a blaze at a warehouse near the river, officials said on Wednesday.",
    "A local bakery won a national award for its sourdough, beating more than 300 entries from across the country.",
    "The school district will add two bus routes next month to serve new housing estates on the east side.",
    "Heavy rain flooded several roads in the valley, and the county opened an emergency shelter at the high school.",
    "A new bike lane on Main Street opened on Monday after months of construction and a heated public debate.",
    "The county hospital will open a second maternity ward in the spring, its chief executive said on Friday.",
]


def _article(k: int, extra: str | None = None) -> dict:
    lines = [STORIES[k % len(STORIES)], FURNITURE,
             f"Officials said decision {k} followed a review that began in {2000 + k} and ran for months.",
             f"Residents will be able to comment on plan {k} until the end of the month, the council said."]
    if extra:
        lines.insert(3, extra)
    return {"url": f"{HOST}{k}", "title": f"Story number {k}", "text": "\n\n".join(lines)}


def _jsonl(path: Path, articles: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(a) + "\n" for a in articles))
    return path


def _run(out: Path, inp: Path, *extra: str) -> dict:
    assert run_cli("--input", str(inp), "--output", str(out), "--no-entities", "--json", "-q", *extra) == 0
    summary = last_summary(out)
    assert_accounting(summary)
    return summary



def duck_rows(out: Path) -> dict:
    import duckdb
    pattern = str(out / "articles" / "**" / "*.parquet")
    rows = duckdb.connect().execute(f"SELECT url, body, boilerplate FROM read_parquet('{pattern}', "
                                    "hive_partitioning=true)").fetchall()
    return {url: (body.split("\n\n"), list(bp)) for url, body, bp in rows}


def _entry(out: Path, line: str):
    return load_memory(str(out)).lines.get(SOURCE, {}).get(fingerprint(line))


def test_runs_learn_a_recurring_line_and_later_runs_move_it_to_boilerplate(tmp_path, monkeypatch):
    out = tmp_path / "out"
    state = out / "_state" / "repeats.parquet"
    # run 1: three articles with the house line, one story line in one article only
    _run(out, _jsonl(tmp_path / "in1" / "a.jsonl", [_article(0, ONCE), _article(1), _article(2)]))
    rows = duck_rows(out)
    assert all(FURNITURE in body for body, _bp in rows.values())       # nothing known yet
    assert _entry(out, FURNITURE)[0] == 3 and _entry(out, ONCE)[0] == 1
    learned = state.read_bytes()

    # a run whose commit fails teaches the memory nothing
    second = _jsonl(tmp_path / "in2" / "b.jsonl", [_article(3, ONCE), _article(4)])
    import pipeline.commit

    def broken(src, dst):
        raise OSError("disk full")
    monkeypatch.setattr(pipeline.commit, "_move", broken)
    with pytest.raises(OSError):
        run_cli("--input", str(second), "--output", str(out), "--no-entities", "-q")
    monkeypatch.undo()
    assert state.read_bytes() == learned and len(duck_rows(out)) == 3

    # --no-state neither reads nor writes the memory
    _run(out, _jsonl(tmp_path / "in3" / "c.jsonl", [_article(5)]), "--no-state")
    assert FURNITURE in duck_rows(out)[f"{HOST}5"][0]
    assert state.read_bytes() == learned

    # run 2 (the retry): the known line leaves the bodies and shows in the boilerplate;
    # the line from one article only stays
    summary = _run(out, second)
    rows = duck_rows(out)
    for k in (3, 4):
        body, bp = rows[f"{HOST}{k}"]
        assert FURNITURE not in body and FURNITURE in bp
        assert STORIES[k] in body
    assert ONCE in rows[f"{HOST}3"][0]
    assert summary["stages"]["repeats"]["lines_removed"] == 2
    assert _entry(out, FURNITURE)[0] == 5 and _entry(out, ONCE)[0] == 2

    # reprocess: run 1's articles are cleaned too, and counting them again changes nothing
    _run(out, tmp_path / "in1" / "a.jsonl", "--mode", "reprocess")
    rows = duck_rows(out)
    assert all(FURNITURE not in rows[f"{HOST}{k}"][0] for k in (0, 1, 2))
    assert _entry(out, FURNITURE)[0] == 5
    assert load_memory(str(out)).articles[SOURCE] == 5


def test_explain_shows_a_remembered_line_as_a_repeat(tmp_path, capsys):
    out = tmp_path / "out"
    mem = Memory()
    mem.merge([{"id": f"{i:04x}{'a' * 28}", "source": SOURCE, "fps": [fingerprint(FURNITURE)]} for i in range(4)], time.time())
    save_memory(str(out), mem)
    page = _jsonl(tmp_path / "one.jsonl", [_article(9)])
    from pipeline.cli import main
    assert main(["explain", str(page), "--output", str(out)]) == 0
    text = capsys.readouterr().out
    assert "boilerplate | Ledger Morning Briefing" in text and "repeat (4 articles)" in text
    assert main(["explain", str(page)]) == 0
    assert "body        | Ledger Morning Briefing" in capsys.readouterr().out


def test_a_stream_learns_at_each_commit_and_its_workers_use_what_it_learned(tmp_path):
    out, watched = tmp_path / "out", tmp_path / "watched"
    _jsonl(watched / "a.jsonl", [_article(0), _article(1), _article(2)])
    proc = subprocess.Popen([EXE, "stream", "--input", str(watched), "--output", str(out), "--no-entities",
                             "--poll-interval", "1", "--commit-interval", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        t_end = time.monotonic() + 60
        while (_entry(out, FURNITURE) or [0])[0] < 3:           # the first commit taught it
            assert proc.poll() is None and time.monotonic() < t_end, proc.communicate()
            time.sleep(0.3)
        time.sleep(1.5)                                        # the workers reload what is known
        _jsonl(watched / "b.jsonl", [_article(3)])
        while f"{HOST}3" not in duck_rows(out):
            assert proc.poll() is None and time.monotonic() < t_end, proc.communicate()
            time.sleep(0.3)
    finally:
        proc.send_signal(signal.SIGTERM)
        _o, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    body, bp = duck_rows(out)[f"{HOST}3"]
    assert FURNITURE not in body and FURNITURE in bp
    assert _entry(out, FURNITURE)[0] == 4


# ---- the parts ------------------------------------------------------------------------------

def test_the_memory_counts_distinct_articles_caps_each_source_and_forgets_old_lines():
    mem = Memory()
    recs = [{"id": f"{i:04x}{'a' * 28}", "source": "s", "fps": [1, 100 + i]} for i in range(4)]
    for i, rec in enumerate(recs):
        mem.merge([rec], 1000.0 + i)
    mem.merge(recs[:2], 1000.0)                     # the same articles again (a reprocess)
    assert mem.lines["s"][1][0] == 4 and mem.articles["s"] == 4
    mem.prune(1003.0, per_source=2, max_age_s=100)
    assert set(mem.lines["s"]) == {1, 103}           # the repeated line first, then the newest
    mem.merge([{"id": "f" * 32, "source": "t", "fps": [7]}], 5000.0)
    mem.prune(5000.0, per_source=10, max_age_s=100)
    assert "s" not in mem.lines and "s" not in mem.articles and set(mem.lines["t"]) == {7}


def test_the_memory_file_round_trips(tmp_path):
    mem = Memory()
    mem.merge([{"id": f"{i:04x}{'a' * 28}", "source": src, "fps": [-5, 2**62, i]} for i in range(3)
               for src in ("a.example", "b.example")], 1234.0)
    save_memory(str(tmp_path), mem)
    back = load_memory(str(tmp_path))
    assert back.lines == mem.lines and back.articles == mem.articles
    (tmp_path / "_state" / "repeats.parquet").write_bytes(b"not parquet")
    assert load_memory(str(tmp_path)).lines == {}   # damaged: start again, never crash


def test_sentences_need_more_articles_and_a_high_share_than_labels():
    rule = RepeatRule()
    label, stock = "Ledger Morning Briefing", "The company did not respond to a request for comment."
    story = "The council voted on Tuesday to close the old library after years of falling visitor numbers."
    body = [story, label, stock]
    fp = fingerprint
    kept, removed = split_repeats(body, {fp(label): Known(3, 0.53), fp(stock): Known(5, 0.9)}, rule)
    assert kept == [story, stock] and removed == [(label, 3)]
    kept, _ = split_repeats(body, {fp(stock): Known(40, share_bound(12, 40))}, rule)   # in 30%: a story line
    assert stock in kept
    kept, removed = split_repeats(body, {fp(stock): Known(30, share_bound(30, 31))}, rule)
    assert removed == [(stock, 30)]
    # never the article's last sentence: nothing is removed then
    kept, removed = split_repeats([label, story], {fp(label): Known(9, 0.9), fp(story): Known(9, 0.9)}, rule)
    assert kept == [label, story] and removed == []


def test_the_share_bound_asks_for_more_evidence_from_fewer_articles():
    assert 0.5 < share_bound(3, 3) < 0.6 and share_bound(30, 30) > 0.9
    assert share_bound(6, 12) < 0.3 < share_bound(30, 60) < 0.5


def test_a_bad_repeat_setting_is_one_line_and_exit_2(tmp_path, capsys):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("anatomy:\n  min_repeats: 5\n  sentence_repeats: 3\n")
    assert run_cli("--input", str(tmp_path), "--output", str(tmp_path / "o"), "--config", str(cfg)) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("newsbeam: error: anatomy.min_repeats") and "\n" not in err


def test_the_memory_has_a_bound_over_all_sources():
    mem = Memory()
    mem.merge([{"id": f"{i:04x}{'b' * 28}", "source": f"file{i}", "fps": [10 * i, 10 * i + 1]} for i in range(50)],
              1000.0)
    mem.merge([{"id": f"{i:04x}{'c' * 28}", "source": "file0", "fps": [0]} for i in range(3)], 1000.0)
    mem.prune(1000.0, per_source=10, max_age_s=100, total=20)
    assert sum(len(v) for v in mem.lines.values()) == 20 and mem.lines["file0"][0][0] == 4


def test_fingerprints_staged_after_their_commit_are_merged_at_the_next_and_others_wait(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from pipeline.config import AnatomyOptions
    from pipeline.state import RepeatMemory, stage_fingerprints
    out, staging = tmp_path / "out", tmp_path / "out" / "_staging" / "r1"
    (out / "articles").mkdir(parents=True)
    pq.write_table(pa.table({"id": ["a" * 32]}), out / "articles" / "part-1.parquet")
    mem = RepeatMemory(str(out), str(staging), AnatomyOptions())
    assert mem.spec().known_path and mem.spec().staging == str(staging)
    assert mem.after_commit({"files_added": ["articles/part-1.parquet"]}) == 0   # no record yet
    stage_fingerprints(str(staging), [{"id": "a" * 32, "source": "s", "fps": [5, 6]},
                                      {"id": "b" * 32, "source": "s", "fps": [5]}])   # b: not committed
    assert mem.after_commit({}) == 1
    assert load_memory(str(out)).lines["s"] == {5: [1, 0, mem.memory.lines["s"][5][2], [short("a")]],
                                                6: [1, 0, mem.memory.lines["s"][6][2], [short("a")]]}
    assert list(mem.pending) == ["b" * 32]


def short(ch: str) -> int:
    return int(ch * 15, 16)

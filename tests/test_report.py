"""`newsbeam report` and `newsbeam stats` on a real output: counts read back from the page,
no network reference, and the page rendered by a real headless browser."""
from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests import builders as b
from tests.conftest import last_summary, read_articles, read_rejects, run_cli


class _Figures(HTMLParser):
    """data-figure="NAME" -> the element's text, as a reader of the page would see it."""

    def __init__(self):
        super().__init__()
        self.figures, self._open, self.refs = {}, [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("src", "href", "xlink:href", "action", "data", "poster"):
            if attrs.get(key) is not None:
                self.refs.append(attrs[key])
        self._open.append(attrs.get("data-figure"))

    def handle_endtag(self, tag):
        if self._open:
            self._open.pop()

    def handle_data(self, data):
        if self._open and self._open[-1]:
            self.figures[self._open[-1]] = self.figures.get(self._open[-1], "") + data.strip()


def _number(text: str) -> int:
    return int(text.replace(",", ""))


@pytest.fixture(scope="module")
def output(tmp_path_factory):
    """Three sources, a duplicate (a page and a feed entry with the same URL), two rejects a run."""
    root = tmp_path_factory.mktemp("report")
    inp = root / "in"
    inp.mkdir()
    (inp / "page.html").write_text(b.html_page(b.STORIES[0]))
    (inp / "feed.rss").write_text(b.rss(b.STORIES[:2]))
    (inp / "other.html").write_text(b.html_page(b.STORIES[2], host="www.other-paper.org"))
    story = b.STORIES[1]
    lines = [json.dumps({"url": "https://www.third-daily.net/2024/04/19/frost-follow-up",
                         "text": "\n\n".join(reversed(story["paragraphs"])), "title": "Frost, the day after",
                         "published": "2024-04-19"}),
             "{not json", '{"url": "https://www.example-news.com/empty"}']
    (inp / "wire.jsonl.gz").write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    out = root / "out"
    assert run_cli("--input", str(inp), "--output", str(out), "-q") == 0
    assert run_cli("--input", str(inp), "--output", str(out), "-q") == 0     # all already present
    return out


def _report(out: Path, capsys, *args) -> tuple[Path, str]:
    from pipeline.cli import main
    capsys.readouterr()
    assert main(["report", str(out), *args]) == 0
    path = Path(capsys.readouterr().out.strip().splitlines()[-1])
    return path, path.read_text(encoding="utf-8")


def test_the_report_shows_the_counts_of_the_output(output, capsys):
    path, page = _report(output, capsys)
    assert path == output / "_report" / "index.html"
    parser = _Figures()
    parser.feed(page)
    fig = parser.figures
    runs = sorted((output / "_runs").glob("*.json"))
    first, second = (json.loads(p.read_text()) for p in runs)
    articles = read_articles(output)
    rejects = read_rejects(output).to_pylist()

    assert _number(fig["articles"]) == articles.num_rows == 4
    assert _number(fig["runs"]) == 2
    assert _number(fig["written"]) == first["written"]["total"] == 4
    assert _number(fig["duplicates"]) == 1
    assert _number(fig["rejected"]) == first["rejected"]["total"] + second["rejected"]["total"] == 4
    assert _number(fig["already_present"]) == second["already_present"]["total"]
    assert _number(fig["seen"]) == first["seen"]["total"] + second["seen"]["total"]
    assert fig["accounting"] == "ok"
    for run in (first, second):
        assert _number(fig[f"run.{run['run_id']}.written"]) == run["written"]["total"]
    by_reason = Counter((r["stage"], r["reason"]) for r in rejects)
    assert by_reason == {("dedup", "duplicate"): 1, ("read", "jsonl_invalid"): 2,   # once per run
                         ("read", "jsonl_missing_body"): 2}
    for (stage, reason), n in by_reason.items():
        assert _number(fig[f"reject.{stage}.{reason}"]) == n
    sources = Counter(articles.column("source").to_pylist())
    assert len(sources) == 3 and _number(fig["sources"]) == 3
    for source, n in sources.items():
        assert _number(fig[f"source.{source}"]) == n
    kinds = Counter(articles.column("source_kind").to_pylist())
    for kind, n in kinds.items():
        assert _number(fig[f"kind.{kind}"]) == n
    # an example input_ref per reason is on the page
    assert any(r["reason"] == "jsonl_invalid" and r["input_ref"] in page for r in rejects)
    assert page.count("<svg") >= 5


def test_the_report_has_no_external_reference(output, capsys):
    _, page = _report(output, capsys)
    parser = _Figures()
    parser.feed(page)
    assert parser.refs, "the charts' internal references were not seen"
    assert all(ref.startswith("#") or ref.startswith("data:") for ref in parser.refs), parser.refs
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", page)
    assert "@import" not in page and "<script" not in page and "<link" not in page


def test_one_run_only_and_another_file(output, tmp_path, capsys):
    run_id = last_summary(output)["run_id"]                    # the second run: nothing new
    target = tmp_path / "r.html"
    path, page = _report(output, capsys, "--run", run_id, "--out", str(target))
    assert path == target
    parser = _Figures()
    parser.feed(page)
    assert _number(parser.figures["runs"]) == 1
    assert _number(parser.figures["articles"]) == 0
    assert _number(parser.figures["written"]) == 0


def test_stats_prints_the_same_figures(output, capsys):
    from pipeline.cli import main
    from pipeline.figures import gather
    capsys.readouterr()
    assert main(["stats", str(output), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["totals"]["written"] == 4 and data["totals"]["duplicates"] == 1
    assert data["articles"]["total"] == 4 and data["rejects"]["total"] == 5
    assert data["totals"] == gather(str(output))["totals"]
    assert main(["stats", str(output)]) == 0
    text = capsys.readouterr().out
    assert "read:jsonl_invalid" in text and "written 4" in text


def test_one_run_is_found_after_compact_merged_its_files(tmp_path, capsys):
    """`--run` keeps finding a run's articles when `compact` has merged them with another's."""
    from pipeline.cli import main
    out = tmp_path / "out"
    run_ids = []
    for i, story in enumerate(b.STORIES[:2]):
        inp = tmp_path / f"in{i}"
        inp.mkdir()
        (inp / "wire.jsonl").write_text(json.dumps({
            "url": f"https://www.third-daily.net/2024/04/19/story-{i}", "title": story["title"],
            "text": "\n\n".join(story["paragraphs"]), "published": "2024-04-19"}) + "\n")
        assert run_cli("--input", str(inp), "--output", str(out), "-q") == 0
        run_ids.append(last_summary(out)["run_id"])
    assert main(["compact", str(out), "--json"]) == 0
    files = list((out / "articles").rglob("*.parquet"))
    assert len(files) == 1 and not any(r in files[0].name for r in run_ids)
    for run_id in run_ids:
        capsys.readouterr()
        assert main(["stats", str(out), "--run", run_id, "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["articles"]["total"] == 1


def test_stats_into_a_closed_pipe_is_no_error(output):
    """`newsbeam stats DIR | head -1`: the reader is gone before we write; exit 0, no traceback."""
    import sys
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run([sys.executable, "-m", "pipeline.cli", "stats", str(output)],
                              stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(write_end)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr


def test_a_folder_that_is_no_output_is_one_line(tmp_path, capsys):
    from pipeline.cli import main
    assert main(["report", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("newsbeam: error: ")
    assert main(["stats", str(tmp_path / "missing")]) == 2


def test_stream_commits_are_charted_and_absent_streams_are_fine(output, tmp_path, capsys):
    out = tmp_path / "out"
    shutil.copytree(output, out)
    stream = {"run_id": "20990101T000000Z-stream", "kind": "stream", "started_at": "2099-01-01T00:00:00+00:00",
              "written": {"total": 3}, "seen": {"total": 3}, "accounting": {"ok": True},
              "commits": [{"committed_at": f"2099-01-01T00:0{i}:00+00:00", "written": 1,
                           "latency_median_s": 10.0 + i, "latency_p95_s": 20.0 + i} for i in range(3)]}
    (out / "_runs" / "20990101T000000Z-stream.json").write_text(json.dumps(stream))
    _, page = _report(out, capsys)
    assert "3 commits" in page and "latency_p95_s" in page
    _, plain = _report(output, capsys)
    assert "No stream runs" in plain


def _chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


@pytest.mark.skipif(_chromium() is None, reason="no chromium on PATH: install it (apt-get install -y "
                    "chromium; .ci/run does) to check the report in a real browser")
def test_the_report_renders_in_a_headless_browser(output, tmp_path, capsys):
    path, _ = _report(output, capsys)
    shot = tmp_path / "shot.png"
    subprocess.run([_chromium(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}",
                    "--window-size=1200,2000", path.resolve().as_uri()],
                   check=True, capture_output=True, timeout=120)
    from matplotlib.image import imread
    img = imread(str(shot))
    assert img.shape[:2] == (2000, 1200)
    rgb = (img[..., :3] * 255).round().astype(int).reshape(-1, 3)
    assert rgb.std() > 20                                   # not a blank page
    colours = {tuple(c) for c in rgb[::97]}
    assert len(colours) > 50                                # text, charts, cards
    # the chart blue of the written bars is on screen
    assert any(abs(r - 0x2f) < 12 and abs(g - 0x7e) < 12 and abs(bl - 0xd8) < 12 for r, g, bl in colours)

"""An output built by several real runs: what a scheduled job leaves behind (many small
files per partition, dated and undated articles, several sources)."""
from __future__ import annotations

from pathlib import Path

from tests import builders as b
from tests.conftest import run_cli

HOSTS = ["www.example-news.com", "news.example.org", "daily.example.net"]


def run_inputs(folder: Path, run: int, per_run: int) -> Path:
    """Inputs of run number `run`: dated pages from several hosts, one undated scrape."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(per_run):
        s = dict(b.STORIES[(run + i) % 3])
        s["slug"] = f"{s['slug']}-r{run}-{i}"
        s["paragraphs"] = [p + f" Update {run}.{i}." for p in s["paragraphs"]]
        (folder / f"r{run}-{i}.html").write_text(b.html_page(s, host=HOSTS[(run * 7 + i) % 3]))
    (folder / f"undated-{run}.txt").write_text(
        f"Town fair returns, edition {run}\n\nThe town fair returns with a pie contest and a "
        f"tractor pull on the green, organisers of edition {run} said.\n")
    return folder


def build(out: Path, work: Path, *, runs: int = 3, per_run: int = 3, entities: bool = False) -> Path:
    for run in range(runs):
        args = ["--input", str(run_inputs(work / f"in{run}", run, per_run)), "--output", str(out)]
        if not entities:
            args.append("--no-entities")
        assert run_cli(*args) == 0
    return out

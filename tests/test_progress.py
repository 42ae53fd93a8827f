"""Progress and logs of a real `newsbeam run` process: a live line on a terminal, plain
periodic lines off it, nothing with --quiet, and no Beam chatter from worker processes."""
from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from tests import builders as b

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    inp = tmp_path_factory.mktemp("progress") / "in"
    inp.mkdir()
    for i in range(12):
        story = b.STORIES[i % len(b.STORIES)]
        (inp / f"page{i:02d}.html").write_text(b.html_page(story, host=f"www.paper{i}.example.org"))
    return inp


def _cmd(inp: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "pipeline.cli", "run", "--input", str(inp), "--output", str(out),
            "--no-entities", *extra]


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSBEAM_PROGRESS")}
    return dict(env, **extra)


def _run_in_terminal(cmd: list[str], env: dict) -> str:
    """Run under a pseudo-terminal (stdout and stderr are the terminal); return all it wrote."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 160, 0, 0))
    proc = subprocess.Popen(cmd, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT,
                            close_fds=True)
    os.close(slave)
    chunks = []
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.5)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:                          # the terminal closed: the process is done
                break
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    proc.wait(timeout=60)
    os.close(master)
    assert proc.returncode == 0
    return b"".join(chunks).decode("utf-8", "replace")


def test_a_terminal_shows_one_live_progress_line(inputs, tmp_path):
    text = _run_in_terminal(_cmd(inputs, tmp_path / "out"), _env())
    frames = [f for f in text.split("\r") if "newsbeam" in f and "units" in f]
    assert frames, text[-2000:]
    assert any("/12 units" in f for f in frames)            # the total is known: 12 files
    assert "run " in text and "accounting       ok" in text   # then the summary
    assert "newsbeam: progress:" not in text                # not the plain lines


def test_off_a_terminal_plain_lines_come_periodically(inputs, tmp_path):
    log = tmp_path / "log.txt"
    with open(log, "w") as fh:
        proc = subprocess.run(_cmd(inputs, tmp_path / "out"), stdout=fh, stderr=subprocess.STDOUT,
                              env=_env(NEWSBEAM_PROGRESS_INTERVAL="0.5"), cwd=ROOT, timeout=300)
    assert proc.returncode == 0
    lines = log.read_text().splitlines()
    progress = [line for line in lines if line.startswith("newsbeam: progress: ")]
    assert len(progress) >= 2, lines
    assert all("\r" not in line and "\x1b" not in line for line in lines)
    assert any("/12 units" in line and "elapsed" in line for line in progress)
    assert lines.index(progress[-1]) < next(i for i, line in enumerate(lines) if line.startswith("run "))


def test_quiet_shows_only_the_summary(inputs, tmp_path):
    text = _run_in_terminal(_cmd(inputs, tmp_path / "out", "--quiet"), _env(NEWSBEAM_PROGRESS_INTERVAL="0.5"))
    assert "units" not in text and "progress" not in text
    assert text.lstrip().startswith("run ")


def test_multi_processing_workers_print_no_beam_logging(inputs, tmp_path):
    """Only progress lines on stderr, and their counts come from the worker processes."""
    proc = subprocess.run(_cmd(inputs, tmp_path / "out", "--direct_running_mode=multi_processing",
                               "--direct_num_workers=2"),
                          capture_output=True, text=True, env=_env(NEWSBEAM_PROGRESS_INTERVAL="0.3"),
                          cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    # Python's own note on a worker's semaphore at shutdown (multiprocessing.resource_tracker,
    # seen under load) is not Beam logging
    lines = [line for line in proc.stderr.splitlines()
             if "resource_tracker" not in line and not line.lstrip().startswith("warnings.warn(")]
    assert lines and all(line.startswith("newsbeam: progress: ") for line in lines), proc.stderr
    assert any(not line.startswith("newsbeam: progress: read 0/") for line in lines), lines
    assert "seen             12" in proc.stdout


def test_verbose_shows_beam_logging(inputs, tmp_path):
    proc = subprocess.run(_cmd(inputs, tmp_path / "out", "-v", "--quiet"), capture_output=True, text=True,
                          env=_env(), cwd=ROOT, timeout=300)
    assert proc.returncode == 0
    assert "INFO" in proc.stderr


def test_counts_from_worker_processes_reach_the_driver(tmp_path):
    """The channel itself: counts noted in another process are summed by the driver."""
    from pipeline.progress import read_snapshots
    folder = tmp_path / "_progress"
    code = ("import time; from pipeline import progress\n"
            "for _ in range(5): progress.note('seen.html'); progress.note('rejected.extract.extract_empty')\n"
            "time.sleep(1.6)\n")
    env = _env(NEWSBEAM_PROGRESS_DIR=str(folder))
    procs = [subprocess.Popen([sys.executable, "-c", code], env=env, cwd=ROOT) for _ in range(2)]
    assert all(p.wait(timeout=60) == 0 for p in procs)
    counts = read_snapshots(str(folder))
    assert counts == {"seen.html": 10, "rejected.extract.extract_empty": 10}


def test_a_stream_on_a_terminal_shows_a_live_line_with_its_commits(inputs, tmp_path):
    """`stream` shares the live line: articles and commits, commit lines printed above it."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for page in sorted(inputs.iterdir())[:3]:
        (inbox / page.name).write_text(page.read_text())
        os.utime(inbox / page.name, (time.time() - 10, time.time() - 10))
    cmd = [sys.executable, "-m", "pipeline.cli", "stream", "--input", str(inbox), "--output",
           str(tmp_path / "out"), "--no-entities", "--poll-interval", "1", "--commit-interval", "1",
           "--duration", "20"]
    text = _run_in_terminal(cmd, _env())
    frames = [f for f in text.split("\r") if "newsbeam" in f and "commits" in f]
    assert frames, text[-2000:]
    assert any("3 articles" in f and "1 commits" in f for f in frames), frames[-3:]
    assert "newsbeam stream: commit 1: 3 written" in text
    assert "accounting       ok" in text


def test_a_quiet_stream_shows_only_the_summary(inputs, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    page = sorted(inputs.iterdir())[0]
    (inbox / page.name).write_text(page.read_text())
    os.utime(inbox / page.name, (time.time() - 10, time.time() - 10))
    cmd = [sys.executable, "-m", "pipeline.cli", "stream", "--input", str(inbox), "--output",
           str(tmp_path / "out"), "--no-entities", "--poll-interval", "1", "--commit-interval", "1",
           "--duration", "3", "--quiet"]
    text = _run_in_terminal(cmd, _env())
    assert "commits ·" not in text and "newsbeam stream: commit" not in text
    assert text.lstrip().startswith("run ")

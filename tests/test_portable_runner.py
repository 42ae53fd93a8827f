"""The same pipeline through Beam's portability layer: a real job service on 127.0.0.1.

Proves that nothing depends on DirectRunner/FnApiRunner-only behaviour: the job is
submitted as a portable pipeline proto to Beam's own Python job service, and the
LOOPBACK environment runs the SDK harness in this process.
"""
from __future__ import annotations

import socket
import subprocess
import sys
import time

import pytest

from tests import builders as b
from tests.conftest import assert_accounting, duck_count, last_summary, read_articles, run_cli


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def job_service():
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "apache_beam.runners.portability.local_job_service_main",
                             f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if proc.poll() is not None:
                pytest.fail("job service exited at start")
            time.sleep(0.2)
    yield f"localhost:{port}"
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_a_job_runs_on_the_portable_runner_against_a_local_job_service(tmp_path, job_service):
    inp = tmp_path / "in"
    inp.mkdir()
    for s in b.STORIES:
        (inp / f"{s['slug']}.html").write_text(b.html_page(s))
    (inp / "bad.jsonl").write_text("{nope\n")
    out = tmp_path / "out"
    assert run_cli("--input", str(inp), "--output", str(out),
                   "--runner=PortableRunner", f"--job_endpoint={job_service}",
                   "--environment_type=LOOPBACK") == 0
    assert read_articles(out).num_rows == 3 == duck_count(out)
    summary = last_summary(out)
    assert summary["runner"] == "PortableRunner"
    assert summary["rejected"]["total"] == 1
    assert_accounting(summary)

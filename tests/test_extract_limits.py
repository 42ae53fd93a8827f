"""A page that takes too long to extract is cut off and rejected; the run goes on."""
from __future__ import annotations

from tests import builders as b
from tests.conftest import assert_accounting, last_summary, read_articles, read_rejects, run_cli


def _slow_page() -> str:
    cells = "".join(f"<tr><td>cell {i}</td><td><p>para {i} " + "word " * 30 + "</p></td></tr>"
                    for i in range(30000))
    return f"<html><body><article><table>{cells}</table></article></body></html>"


def test_a_page_over_the_time_limit_is_rejected_and_the_next_page_is_extracted(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "a-slow.html").write_text(_slow_page())
    (inp / "b-fine.html").write_text(b.html_page(b.STORIES[0]))
    cfg = tmp_path / "c.yaml"
    cfg.write_text("extract:\n  timeout: 0.5\n")
    out = tmp_path / "out"
    assert run_cli("--input", str(inp), "--output", str(out), "--config", str(cfg), "--no-entities") == 0
    rejects = read_rejects(out).to_pylist()
    assert [(r["stage"], r["reason"]) for r in rejects] == [("extract", "extract_timeout")]
    assert rejects[0]["input_ref"].endswith("a-slow.html")
    assert read_articles(out).num_rows == 1
    assert_accounting(last_summary(out))


def test_pages_in_flight_behind_a_page_over_the_limit_are_extracted_by_a_new_child():
    """Extractor.submit keeps several pages in the child at once (extract.prefetch): the
    one over the time limit is rejected, the ones queued behind it still get their text,
    in the order they were sent."""
    from pipeline.config import ExtractOptions
    from pipeline.model import Page
    from transforms.extractor import Extractor
    fine = [Page(input_ref=f"fine-{i}", source_kind="html", html=b.html_page(b.STORIES[i])) for i in range(3)]
    slow = Page(input_ref="slow", source_kind="html", html=_slow_page())
    ex = Extractor(ExtractOptions(timeout=0.5))
    try:
        pending = [ex.submit(p) for p in (fine[0], slow, fine[1], fine[2])]
        got = [ex.result(p) for p in pending]
    finally:
        ex.close()
    assert [r[1] for r in got] == [None, "extract_timeout", None, None]
    assert [r[0]["input_ref"] for r in got if r[0]] == ["fine-0", "fine-1", "fine-2"]

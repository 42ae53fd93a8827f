"""`newsbeam explain`: each line of one input with its class and why."""
import json
from pathlib import Path

from pipeline import cli
from tests.httpserver import LoopbackServer, Route, ok

GENERAL = Path(__file__).parent / "fixtures" / "general"

PAGE = """<html><head><title>Pier to close for repairs | Harbour Times</title>
<meta property="og:site_name" content="Harbour Times"></head><body><article>
<h1>Pier to close for repairs</h1>
<p>The harbour board voted on Tuesday to close the old ferry pier for a year of repairs,
after divers found that several of its timber piles had rotted through.</p>
<p>Advertisement</p>
<p>Commuters who use the pier will be moved to a temporary landing at the fish market,
which the board said would add about ten minutes to a crossing.</p>
<p>Board chair Maren Holt said the structure could no longer be trusted with a full crowd.</p>
</article></body></html>"""


def _explain(capsys, *argv):
    status = cli.main(["explain", *argv])
    return status, capsys.readouterr()


def test_explain_prints_every_line_with_its_class_and_the_catalogue_entry(capsys):
    status, out = _explain(capsys, str(GENERAL / "markets_wire.txt"))
    assert status == 0
    assert "byline      | By Henrik Saal and Priya Menon" in out.out
    assert "boilerplate | Quotes delayed at least 15 minutes." in out.out
    assert "stock-quote delay notice" in out.out
    assert "caption     | A technician inspects a blade" in out.out
    assert "authors    Henrik Saal, Priya Menon" in out.out


def test_explain_names_the_classifier_rule_for_lines_no_entry_claims(capsys):
    status, out = _explain(capsys, str(GENERAL / "regional_newsletter.txt"), "--json")
    assert status == 0
    result = json.loads(out.out)
    lines = {t["line"]: t for t in result["lines"]}
    assert lines["Flood defences completed on the River Leck"]["why"].startswith("classifier:")
    assert lines["Flood defences completed on the River Leck"]["score"] is not None
    assert lines["Councillors have approved a plan to extend a limestone quarry near Little Orton by "
                 "a further 40 hectares, despite more than 300 objections from people living nearby."
                 ]["kind"] == "body"


def test_explain_a_config_entry_is_named_as_the_reason(capsys, tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("anatomy:\n  catalogue:\n    - {class: boilerplate, pattern: 'Skagen Markets desk', "
                   "example: 'Skagen Markets desk', note: 'our own desk line'}\n")
    text = tmp_path / "a.txt"
    text.write_text("A title\n\nSkagen Markets desk\n\nThe board voted on Tuesday to close the pier.\n")
    status, out = _explain(capsys, str(text), "--config", str(cfg))
    assert status == 0
    assert "catalogue entry 1 (boilerplate: our own desk line)" in out.out


def test_explain_fetches_an_article_page_from_a_url(capsys):
    with LoopbackServer({"/pier": Route(ok(PAGE.encode()))}) as srv:
        status, out = _explain(capsys, srv.url("/pier"), "--allow-private-addresses")
    assert status == 0
    assert "title      'Pier to close for repairs'" in out.out
    assert "body        | The harbour board voted on Tuesday" in out.out


def test_explain_a_missing_file_is_one_error_line_and_exit_2(capsys, tmp_path):
    status, out = _explain(capsys, str(tmp_path / "nope.txt"))
    assert status == 2
    assert out.err.strip().startswith("newsbeam: error:") and len(out.err.strip().splitlines()) == 1


def test_explain_says_a_masthead_repeated_below_the_headline_repeats_a_line_above_it(tmp_path):
    from transforms.anatomy import Catalogue, split_draft
    draft = {"source_kind": "text", "title": "HARBOUR NEWS WEEKLY",
             "text": "Island news since 1990\n\nFerry fares to rise in May as fuel costs bite\n"
                     "By Amina Said\n\nThe harbour board approved a new timetable for the island ferry on "
                     "Tuesday, adding two evening crossings.\n\nHARBOUR NEWS WEEKLY\n"}
    trace = []
    split_draft(draft, catalogue=Catalogue.load(), trace=trace)
    again = [t for t in trace if t["line"] == "HARBOUR NEWS WEEKLY" and t["detail"] != "above_headline"]
    assert again and again[0]["kind"] == "boilerplate" and "above the headline" in again[0]["why"]

"""The headline of a text scrape is found below the site name, section and date lines a copy
from the page brings along; a real first-line headline is never replaced."""
import pytest

from tests.conftest import read_articles, run_cli
from transforms.anatomy import Catalogue, split_text_scrape
from transforms.titles import promote_headline

STORY = ("The harbour board approved a new timetable for the island ferry on Tuesday, "
         "adding two evening crossings from the first week of May.\n\n"
         "Ticket prices will stay the same until the end of the year, the board said.\n")


@pytest.fixture(scope="module")
def catalogue():
    return Catalogue.load()


@pytest.mark.parametrize("lead", [
    ["The Island Courier"],                                     # site name
    ["Coastal Herald", "News › Transport"],                     # site + breadcrumb
    ["Home / Local / Transport"],                               # breadcrumb
    ["EXCLUSIVE"],                                              # kicker
    ["Skip to content", "Menu", "The Island Courier"],          # page chrome
    ["Tuesday 4 March 2025, 09:12 GMT"],                        # a date stamp above the headline
])
def test_the_headline_below_page_furniture_is_the_title(catalogue, lead):
    head = "Island ferry adds two evening crossings from May"
    scrape = "\n".join(lead) + "\n\n" + head + "\n\n" + STORY
    out = split_text_scrape(scrape, catalogue=catalogue)
    assert out["title"] == head
    assert out["body"].startswith("The harbour board approved")
    assert all(line in out["boilerplate"] for line in lead)


@pytest.mark.parametrize("scrape", [
    "Island ferry adds two evening crossings from May\n\n" + STORY,
    "Ferry fares frozen\n\nBy Ana Ruiz\n\n" + STORY,            # a short headline, then a byline
    "Ferry fares frozen\n\n" + STORY,                           # a short headline, then the story
])
def test_a_first_line_headline_stays_the_title(catalogue, scrape):
    out = split_text_scrape(scrape, catalogue=catalogue)
    assert out["title"] == scrape.split("\n", 1)[0]
    assert "Ticket prices will stay the same" in out["body"]


def test_nothing_is_promoted_past_a_story_sentence():
    title, text, lead = promote_headline("The Island Courier", STORY)
    assert (title, text, lead) == ("The Island Courier", STORY, [])


def test_a_text_file_through_the_pipeline_gets_its_headline(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "ferry.txt").write_text("The Island Courier\nNews › Transport\n\n"
                                   "Island ferry adds two evening crossings from May\n\n" + STORY)
    out = tmp_path / "out"
    assert run_cli("--input", str(inp), "--output", str(out), "--no-entities", "-q") == 0
    rows = read_articles(out).to_pylist()
    assert [r["title"] for r in rows] == ["Island ferry adds two evening crossings from May"]
    assert rows[0]["body"].startswith("The harbour board approved")
    assert "The Island Courier" in rows[0]["boilerplate"]


def test_a_date_line_above_the_headline_still_dates_the_article(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "ferry.txt").write_text("The Island Courier\nTuesday 4 March 2025, 09:12 GMT\n\n"
                                   "Island ferry adds two evening crossings from May\n\n" + STORY)
    out = tmp_path / "out"
    assert run_cli("--input", str(inp), "--output", str(out), "--no-entities", "-q") == 0
    row, = read_articles(out).to_pylist()
    assert row["title"] == "Island ferry adds two evening crossings from May"
    assert row["published_at_source"] == "text"
    assert row["published_at"].isoformat().startswith("2025-03-04T09:12")
    assert "Tuesday 4 March 2025, 09:12 GMT" in row["boilerplate"]

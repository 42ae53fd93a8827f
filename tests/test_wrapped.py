"""A text wrapped at a fixed width (PDF exports, e-mail, e-paper text) is read as whole
paragraphs; texts with one paragraph per line, lists and short lines are left as they are."""
import textwrap

import pytest

from tests.conftest import read_articles, run_cli
from transforms.anatomy import Catalogue, split_text_scrape
from transforms.wrapped import unwrap, wrap_width

PARAGRAPHS = [
    "The county water board agreed on Thursday to spend 4.2 million pounds replacing the "
    "pumping station at Millbrook, which has failed three times since the spring floods.",
    "Work on the new station is due to begin in February and should take about fourteen "
    "months, during which tankers will supply the villages on the eastern ridge.",
    "\"We cannot keep patching a building that was designed for half the houses it now "
    "serves,\" said board chair Imelda Ravensworth-Kaye.",
    "The board also approved a study of leaks in the older mains under the market square.",
]


def _wrapped(paragraphs, width=72) -> str:
    return "\n".join(textwrap.fill(p, width) for p in paragraphs)


@pytest.fixture(scope="module")
def catalogue():
    return Catalogue.load()


@pytest.mark.parametrize("width", [60, 72, 80, 100])
def test_wrapped_paragraphs_are_joined_whole(width):
    assert unwrap(_wrapped(PARAGRAPHS, width)).split("\n") == PARAGRAPHS


def test_a_text_with_one_paragraph_per_line_is_unchanged():
    text = "\n".join(PARAGRAPHS)
    assert wrap_width(text.split("\n")) is None
    assert unwrap(text) == text


def test_list_items_and_short_lines_stay_apart():
    text = _wrapped([PARAGRAPHS[0], "The works will cover:"]) + "\n" + "\n".join([
        "- a new pump hall and two standby pumps",
        "- three kilometres of main along the ridge road",
        "1. a telemetry link to the control room",
    ]) + "\n" + _wrapped(PARAGRAPHS[1:])
    lines = unwrap(text).split("\n")
    assert lines[:2] == [PARAGRAPHS[0], "The works will cover:"]
    assert lines[2:5] == ["- a new pump hall and two standby pumps",
                          "- three kilometres of main along the ridge road",
                          "1. a telemetry link to the control room"]
    assert lines[5:] == PARAGRAPHS[1:]


def test_a_line_longer_than_the_wrap_is_not_joined_to_the_next():
    long_line = ("Photographs for publication: waterboard.example.org/press (credit: County "
                 "Water Board / Hollis Penberthy-Ashe)")
    text = _wrapped(PARAGRAPHS) + "\n" + long_line + "\n###"
    assert unwrap(text).split("\n")[-2:] == [long_line, "###"]


def test_a_hyphen_at_the_end_of_a_line_is_kept_in_the_joined_word():
    text = _wrapped(["The station on Fenwick Road serves the villages of Upper Ashby, "
                     "Nether Coombe and the whole of the Stoke-by-Wold estate, the board said "
                     "on Thursday."] + PARAGRAPHS, width=69)
    first = unwrap(text).split("\n")[0]
    assert "Stoke-by-Wold estate" in first


def test_a_wrapped_press_release_splits_into_its_paragraphs(catalogue):
    scrape = ("County water board to rebuild Millbrook pumping station\n\n"
              + _wrapped(PARAGRAPHS) + "\n")
    parts = split_text_scrape(scrape, catalogue=catalogue)
    assert parts["title"] == "County water board to rebuild Millbrook pumping station"
    assert parts["body"].split("\n\n") == PARAGRAPHS


def test_a_wrapped_text_file_through_the_pipeline(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "release.txt").write_text("County water board to rebuild Millbrook pumping station\n\n"
                                     + _wrapped(PARAGRAPHS, 64) + "\n")
    out = tmp_path / "out"
    assert run_cli("--input", str(inp), "--output", str(out), "--no-entities", "-q") == 0
    rows = read_articles(out).to_pylist()
    assert [r["body"].split("\n\n") for r in rows] == [PARAGRAPHS]


def test_an_epaper_column_with_no_blank_lines_ends_a_paragraph_at_a_sentence_end():
    """A narrow e-paper column: paragraphs follow with no blank line between them, so a
    line ending a sentence with a capital opening the next ends the paragraph; a line a
    word short of full goes on when the next starts in lower case."""
    paras = [
        "A new water pumping station in the Radvanka district began operating on Monday, and the city's "
        "water company says residents of the upper streets should no longer lose pressure on summer evenings.",
        "The station lifts water from the main along the river to two new reservoirs on the hill above the "
        "district, which together hold 2,000 cubic metres.",
        "For years, households above the old brick factory had water only at night during heat waves, when "
        "demand in the lower city peaked.",
        "The project cost UAH 46 million, most of it from a loan by a Nordic lender, said the deputy mayor.",
        "Engineers will now test the pressure on the upper streets for a month before the old pumps are "
        "taken out of service in November.",
    ]
    column = "\n".join(line for p in paras for line in textwrap.wrap(p, 44))
    assert unwrap(column).split("\n") == paras


def test_a_row_laid_out_in_cells_is_not_joined_to_the_headline_above_it():
    head = "Khanbridge airport to open a second terminal in 2027, ministry says"
    text = head + "\nPriority: routine   Words: 436\n\n" + _wrapped(PARAGRAPHS, len(head))
    assert unwrap(text).split("\n")[:2] == [head, "Priority: routine   Words: 436"]

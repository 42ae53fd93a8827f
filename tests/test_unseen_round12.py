"""Shapes met on unseen publishers in the twelfth round of issue 12 (blind tuning sets
dev18a and dev18b): bylines above the headline, bylines whose roles sit between the
names, a name written in two scripts, a name with an e-mail, a role line under a bare
name, a writers' line at the foot. Every line here is invented for these tests."""
import pytest

from transforms.anatomy import Catalogue, byline_people, split_text_scrape
from transforms.dates import date_from_text
from transforms.extract import extract_html

HEAD = "Harbour board cuts mooring fees for small fishing boats"
P1 = ("The harbour board cut mooring fees for fishing boats under ten metres by a third on "
      "Tuesday, after owners said the charges were driving them out of the inner harbour.")
P2 = "The new fees apply from the first of next month and will be reviewed after a year, the board said."
P3 = ("Skipper Anselm Quiroga-Brandt said the cut would keep at least six boats in the "
      "harbour that had planned to move to the next bay along the coast.")


@pytest.fixture(scope="module")
def catalogue():
    return Catalogue.load()


def split(catalogue, head, tail=()):
    scrape = "\n".join([*head, "", P1, "", P2, "", P3, "", *tail, ""])
    return split_text_scrape(scrape, catalogue=catalogue)


def test_a_bilingual_skip_link_is_no_title_and_a_byline_above_the_headline_names_both_writers(catalogue):
    parts = split(catalogue, [
        "Saltar al contenido / Skip to content",
        "EL FARO DEL PUERTO · The Harbour Light",
        "Lunes, 12 de octubre de 2026 | Monday, October 12, 2026",
        "Publicado / Published",
        "10/12/2026 4:10 p.m.",
        "Por / By Inés Calderón-Ruiz, redactora / staff writer, and Tobias Wren, socio colaborador / member contributor",
        "", HEAD])
    assert parts["title"] == HEAD
    assert parts["authors"] == ["Inés Calderón-Ruiz", "Tobias Wren"]
    assert parts["body"].startswith(P1)


@pytest.mark.parametrize("line, people", [
    ("By Inés Calderón-Ruiz, staff writer, and Tobias Wren, member contributor", ["Inés Calderón-Ruiz", "Tobias Wren"]),
    ("מאת / By: נועה לוי / Noa Levi-Strand, Spokesperson's Office", ["Noa Levi-Strand"]),
    ("Text: Corinne Ammann und Jonas Feld-Weber, Verkehrspolitik / Politique des transports",
     ["Corinne Ammann", "Jonas Feld-Weber"]),
    ("By Tobias Wren | twren@harbourlight.example.com", ["Tobias Wren"]),
    ("By Tobias Wren, Harbour Bureau, Port Ellis", ["Tobias Wren"]),
    ("Words: Tobias Wren · Pictures: Inés Calderón-Ruiz", ["Tobias Wren"]),
    ("Share this story: Facebook · X", []),
])
def test_the_people_of_a_marked_byline(line, people):
    assert byline_people(line) == people


def test_a_name_with_its_email_is_a_byline(catalogue):
    parts = split(catalogue, ["THE HARBOUR LIGHT", "", HEAD, "", "Tobias Wren | twren@harbourlight.example.com",
                              "3 min read"])
    assert parts["authors"] == ["Tobias Wren"]


def test_a_role_line_under_a_bare_name_is_no_author(catalogue):
    parts = split(catalogue, ["THE HARBOUR LIGHT", "", HEAD, "Tobias Wren", "Transport and Environment Correspondent",
                              "twren@harbourlight.example.com", "Published 14 Dec 2026, 18:02 GMT"])
    assert parts["authors"] == ["Tobias Wren"]


def test_the_writers_line_at_the_foot_names_the_authors(catalogue):
    parts = split(catalogue, ["THE HARBOUR LIGHT", "", HEAD],
                  ["Text: Corinne Ammann und Jonas Feld-Weber, Verkehrspolitik / Politique des transports",
                   "Medienkontakt / Contact presse: Nadia Sutter-Roe, +41 61 555 01 23"])
    assert parts["authors"] == ["Corinne Ammann", "Jonas Feld-Weber"]


# ------------------------------------------------------------------ dates
@pytest.mark.parametrize("text, iso", [
    # a label's value in two calendars: the Gregorian half
    ("Published: Tuesday 18 Rabi' al-Thani 1448 AH / 29 September 2026, 14:20 GMT\n\nThe story.",
     "2026-09-29T14:20:00+00:00"),
    # the foot's own sentence, day first on an Egyptian page
    ("Shares in a Cairo tile maker rose on Wednesday on the Egyptian Exchange in Cairo.\n\n"
     "This story was published on 04/11/2026 at 16:40 Cairo time.", "2026-11-04T16:40:00+02:00"),
    # the site's "today" line over the story's stamp of the day before
    ("Wednesday, September 9, 2026\nTHE HARBOUR LIGHT\nNews ID: 48211 · September 8, 2026 - 11:42 GMT\n\nThe story.",
     "2026-09-08T11:42:00+00:00"),
])
def test_publication_dates_written_the_way_these_pages_write_them(text, iso):
    assert date_from_text(text) == iso


def test_a_dateline_with_a_month_of_another_language_dates_the_story(catalogue):
    lead = "One in three commuters plans to spend fewer days at the office next year, a survey found."
    assert catalogue.dateline(f"BASEL, 3. Dezember 2026 – {lead}")[0] == "BASEL"
    assert date_from_text(f"KONYA, 21 Eylül 2026 (EMHA) – {lead}",
                          dateline_prefix="KONYA, 21 Eylül 2026 (EMHA) –").startswith("2026-09-21")


# ------------------------------------------------------------------ furniture
@pytest.mark.parametrize("line", [
    "First published 06/10/2026 · Last reviewed 07/10/2026",
    "Dieser Kommentar erschien zuerst auf Deutsch. Übersetzung: Lena Roe. / This comment was first published "
    "in German and translated by Lena Roe.",
    "· 4 min read",
])
def test_stamps_and_notes_of_these_pages_are_furniture(catalogue, line):
    from transforms.anatomy import _catalogue_hit
    assert _catalogue_hit(line, catalogue, "tail")[0] == "boilerplate"


def test_a_place_in_capitals_with_a_full_stop_is_a_dateline(catalogue):
    place, prefix, rest = catalogue.dateline("WIEN. The covered market hall will reopen in March after a renovation.")
    assert (place, prefix) == ("WIEN", "WIEN.")
    assert catalogue.dateline("NOTE. The covered market hall will reopen in March after a renovation.") is None


def test_an_author_bio_box_leaves_the_body_however_long():
    from tests.test_extract import BODY, page
    bio = ("Inés Calderón-Ruiz has covered the harbour, its boats and the town council for the Harbour Times "
           "since 2019, and before that reported on farming and rural affairs for a regional radio station.")
    doc = extract_html(page(after=f'<div class="hb-bio"><p>{bio}</p></div>'))
    paragraphs = doc["text"].split("\n\n")
    assert bio not in paragraphs and BODY[-1] in paragraphs


# ------------------------------------------------------------------ names
@pytest.mark.parametrize("text, name, label", [
    ("Commuters use the A35 motorway every morning to reach the border.", "A35", "FAC"),
    ("The contract went to Tri-County Engineering Group of Glasgow, which has 18 months to deliver plans.",
     "Tri-County Engineering Group", "ORG"),
    ("The contract went to Tri-County Engineering Group of Glasgow, which has 18 months to deliver plans.",
     "Glasgow", "GPE"),
    ("He studied engineering at the University of Glasgow before joining the council.", "University of Glasgow", "ORG"),
])
def test_a_road_number_and_a_firm_with_its_town(tagger, text, name, label):
    from tests.conftest import labels
    assert labels(tagger, text).get(name) == label

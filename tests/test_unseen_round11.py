"""Shapes met on unseen publishers in the eleventh round of issue 12 (blind sets dev15,
dev16, heldout12): translation and job notices, boxes with their own label or class,
signed pull quotes, story lists the extractor dropped, headlines signed through their
standfirst, bilingual bylines, the h1 over a reworded social title, and dates written
the way those pages write them. Every line here is invented for these tests."""
import pytest

from transforms.anatomy import Catalogue, split_text_scrape
from transforms.dates import date_from_text
from transforms.dates_zones import page_zone
from transforms.extract import best_title, extract_html

HEAD = "Island ferry adds two evening crossings from May"
BYLINE = "By Morwenna Trelawny-Fox"
P1 = ("The harbour board approved a new timetable for the island ferry on Tuesday, "
      "adding two evening crossings from the first week of May.")
P2 = "Ticket prices will stay the same until the end of the year, the board said."
P3 = ("Harbour master Tomas Pellow said the crossings would be reviewed after the summer, "
      "when the board expects more visitors than last year.")


@pytest.fixture(scope="module")
def catalogue():
    return Catalogue.load()


def split(catalogue, *middle, head=(HEAD, BYLINE)):
    scrape = "\n".join(["THE GULLHAVEN LANTERN", *head, "", P1, "", P2, "", *middle, "", P3, ""])
    return split_text_scrape(scrape, catalogue=catalogue)


# ------------------------------------------------------------------ notices and boxes
@pytest.mark.parametrize("notice", [
    "Quotes were translated from Cornish by the Lantern's English desk.",
    "Parts of this report were translated from Breton by our desk.",
    "This text is a translation of the council's notice. In case of doubt, the Cornish version prevails.",
    "Also available in: Kernewek · Brezhoneg",
    "VACANCY: Harbour Clerk, Gullhaven Harbour Office. Apply in writing by April 3.",
    "Gullhaven Town Council: monthly meeting Thursday, March 26, 7 p.m., Guildhall.",
    "In a medical emergency, call 999 or go to the nearest emergency department.",
    "The Quay Podcast — Ep. 41: Who pays for the pier?",
    "NOTICE TO MEMBERS: Mooring fees are due at the harbour office by Friday.",
    "CORRECTION: In our March 11 edition, a caption on page 5 gave the wrong name for the harbour master.",
])
def test_a_notice_between_story_paragraphs_leaves_the_body(catalogue, notice):
    out = split(catalogue, notice)
    assert notice not in out["body"]
    assert notice in out["boilerplate"]
    assert P3 in out["body"]


def test_a_box_under_an_emoji_label_in_capitals_goes_with_its_lines(catalogue):
    box = ["🎟 CLUB LOTTO", "Draw of Sunday: 4, 11, 19, 27. No jackpot winner.",
           "Next week's jackpot €6,200 · Play online through the Club Shop"]
    out = split(catalogue, *box)
    assert all(line in out["boilerplate"] for line in box)
    assert P3 in out["body"]


def test_a_notices_label_between_rules_goes_with_its_block(catalogue):
    box = ["━━━ VACANCIES ━━━", "Deckhands, summer season. Apply at the harbour office with two references.",
           "Board of Directors: the regular monthly meeting is on Tuesday at 7 pm."]
    out = split(catalogue, *box)
    assert all(line in out["boilerplate"] for line in box)


def test_a_pull_quote_and_the_line_that_signs_it_leave_the_body(catalogue):
    said = '"We will run the late boats as long as people use them," said Tomas Pellow, the harbour master.'
    quote, sign = '"We will run the late boats as long as people use them."', "— Tomas Pellow, harbour master"
    out = split(catalogue, said, quote, sign)
    assert quote in out["boilerplate"] and sign in out["boilerplate"]
    assert said in out["body"]


def test_a_pull_quote_signed_on_its_own_line_leaves_the_body(catalogue):
    said = '"We will run the late boats as long as people use them," said Tomas Pellow, the harbour master.'
    signed = '"We will run the late boats as long as people use them." – Tomas Pellow, harbour master'
    out = split(catalogue, said, "", signed)
    assert signed in out["boilerplate"]
    assert said in out["body"]


# ------------------------------------------------------------------ heads of text scrapes
def test_a_headline_signed_through_its_standfirst_stays_the_title(catalogue):
    standfirst = "New timetable puts two late boats on the island run; fares stay put for now"
    out = split(catalogue, head=("FERRIES", HEAD, standfirst, "", BYLINE, "Posted: 10/07/2026 10:45 PM"))
    assert out["title"] == HEAD


@pytest.mark.parametrize("byline, authors", [
    ("Tusia e / Written by: Faleolo Tauiliili-Mauga ma / and Losa P. Ioane",
     ["Faleolo Tauiliili-Mauga", "Losa P. Ioane"]),
    ("Autori / Authors: Amra Hadžiomerović i / and Tarik Begić", ["Amra Hadžiomerović", "Tarik Begić"]),
    ("Von / Por / By: Helga Wiens-Giesbrecht", ["Helga Wiens-Giesbrecht"]),
    ("Redacción / Newsroom: Wilma Condori Quispe", ["Wilma Condori Quispe"]),
    ("By Sione Vaipulu-Hufanga and 'Ana K. Tavake", ["Sione Vaipulu-Hufanga", "'Ana K. Tavake"]),
    ("Desislava Naydenova | Senior market analyst", ["Desislava Naydenova"]),
])
def test_bylines_in_two_languages_and_with_roles_name_the_writers(catalogue, byline, authors):
    out = split(catalogue, head=(HEAD, byline))
    assert out["authors"] == authors


def test_a_match_centre_label_is_no_author(catalogue):
    out = split(catalogue, head=(HEAD, "MATCH CENTRE · FINAL"))
    assert out["authors"] == []


def test_an_author_line_at_the_foot_names_the_writer(catalogue):
    scrape = "\n".join([HEAD, "", P1, "", P2, "", "Author: Tomas Pellow, Lantern correspondent, Gullhaven | "
                        "Editor: Jenna Roskilly", ""])
    assert split_text_scrape(scrape, catalogue=catalogue)["authors"] == ["Tomas Pellow"]


# ------------------------------------------------------------------ HTML pages
def _page(body: str, head: str = "") -> str:
    return (f"<html><head><title>Harbour page</title>{head}</head><body><article>"
            f"<h1>{HEAD}</h1>{body}</article></body></html>")


def test_a_story_list_the_extractor_dropped_is_put_back_as_items():
    body = (f"<section><p>{P1}</p><p>Between June and September, the crew:</p>"
            "<ul><li>ran 64 extra crossings to the island</li><li>carried 4,100 more passengers</li></ul>"
            f"<p>{P2}</p><p>{P3}</p></section>")
    text = extract_html(_page(body))["text"]
    assert "- ran 64 extra crossings to the island\n\n- carried 4,100 more passengers" in text


def test_words_with_zero_width_joiners_keep_them():
    word = "ජයග්\u200dරහණය"
    body = f"<p>{P1}</p><p>“{word},” the captain said after the race, smiling at the crowd on the quay.</p><p>{P2}</p>"
    assert word in extract_html(_page(body))["text"]


def test_a_box_marked_as_a_note_leaves_the_body_however_long():
    note = ("Service update: the 06:10 and 22:40 departures from the island are run by the reserve ferry "
            "until 19 June while the main vessel is in dry dock at the yard. See all service alerts")
    body = f'<p>{P1}</p><div class="kf-notice" role="note"><p>{note}</p></div><p>{P2}</p><p>{P3}</p>'
    assert "Service update" not in extract_html(_page(body))["text"]


@pytest.mark.parametrize("og, h1, expected", [
    ("Samegrelo hazelnut growers see 18% price rise",
     "Hazelnut growers in Samegrelo are paid 18% more per kilo, but the harvest is a third smaller", "h1"),
    ("Samegrelo hazelnut growers see 18% price rise", "Georgia Business Weekly", "og"),
])
def test_the_h1_wins_over_a_reworded_social_title_of_the_same_story(og, h1, expected):
    meta = {"og_title": og, "h1": h1}
    assert best_title(meta, None, None, None) == (h1 if expected == "h1" else og)


def test_the_h1_wins_when_the_title_tag_starts_with_it():
    meta = {"og_title": "Flores coastal path reopens after rockfall repairs",
            "h1": "Coastal path between Ponta Delgada and Fajã Grande reopens",
            "html_title": "Coastal path between Ponta Delgada and Fajã Grande reopens | Press room | Visit Flores"}
    assert best_title(meta, None, None, None) == meta["h1"]


# ------------------------------------------------------------------ dates
@pytest.mark.parametrize("text, iso", [
    ("Published on 07/05/2026 at 15:20 in Etterbeek\nSee also 07.05.2026", "2026-05-07"),     # dots: day first
    ("Published\n03. 11. 2026 | 08:20\n", "2026-11-03T08:20:00"),                          # Czech spacing
    ("Objavljeno: 23. jul 2026. u 12:40", "2026-07-23T12:40:00"),
    ("PINS-EN 0417   Tue 06 Oct 2026 14:32 FJT", "2026-10-06T14:32:00+12:00"),
    ("Our story.\n\nThis story appeared in the Thursday, October 22, 2026 print edition.", "2026-10-22"),
])
def test_publication_dates_written_the_way_these_pages_write_them(text, iso):
    assert (date_from_text(text) or "").startswith(iso)


def test_the_weather_bar_and_the_peoples_names_give_the_page_its_clock():
    assert page_zone("Thursday, October 8 · Saipan 31°C Isolated showers\nSan Vicente and San Vicente "
                     "and San Vicente residents") == "Pacific/Saipan"
    assert page_zone("Kuwaiti farms will sell at the market; Kuwaiti shoppers welcome.") == "Asia/Kuwait"

"""Titles, authors and publication dates on house styles nobody wrote rules for: the
headline under score boxes and player bars, bylines with desks, roles, places and
photographers, published-vs-updated stamps and day-first vs month-first numeric dates.
Every line here is invented for these tests."""
import pytest

from tests.conftest import read_articles, run_cli
from transforms.anatomy import Catalogue, authors_from_byline, names_a_person, split_text_scrape
from transforms.dates import date_from_text
from transforms.dates_zones import page_country, page_zone

STORY = ("The harbour board approved a new timetable for the island ferry on Tuesday, "
         "adding two evening crossings from the first week of May.\n\n"
         "Ticket prices will stay the same until the end of the year, the board said.\n")
HEAD = "Island ferry adds two evening crossings from May"


@pytest.fixture(scope="module")
def catalogue():
    return Catalogue.load()


# ------------------------------------------------------------------ titles
@pytest.mark.parametrize("lead", [
    # a score box whose result line looks like a headline
    ["GULLHAVEN ROWING", "Regatta  ›  Final day", "Gullhaven 3 - 1 Porthmere", "Gullhaven win by two lengths",
     "Results   Crews   Course"],
    # a radio station's player bar above the masthead
    ["Now playing: Morning Tide", "Listen Live   Donate", "Gullhaven Community Radio", "Transport"],
    # a breadcrumb with a relative stamp right under it
    ["THE GULLHAVEN LANTERN", "Harbour › Ferries", "Posted yesterday at 6:10 p.m."],
])
def test_the_headline_with_its_byline_under_it_is_the_title_below_page_widgets(catalogue, lead):
    scrape = "\n".join(lead) + "\n\n" + HEAD + "\nMorwenna Trelawny-Fox\nMarch 3, 2025\n\n" + STORY
    out = split_text_scrape(scrape, catalogue=catalogue)
    assert out["title"] == HEAD
    assert out["authors"] == ["Morwenna Trelawny-Fox"]
    assert all(line in out["boilerplate"] for line in lead)
    assert out["body"].startswith("The harbour board approved")


def test_a_headline_keeps_the_title_over_its_standfirst_with_the_byline_under_that(catalogue):
    scrape = ("The Gullhaven Lantern\n" + HEAD + "\nCouncil says the extra sailings will run until October\n"
              "By Morwenna Trelawny-Fox\n\n" + STORY)
    assert split_text_scrape(scrape, catalogue=catalogue)["title"] == HEAD


def test_a_first_line_headline_right_above_an_unknown_dated_line_stays_the_title(catalogue):
    scrape = HEAD + "\nMedia contact: Ros Penhale, 555-0100\nMarch 3, 2025\n\n" + STORY
    assert split_text_scrape(scrape, catalogue=catalogue)["title"] == HEAD


def test_story_highlights_are_not_taken_for_the_headline(catalogue):
    scrape = (HEAD + "\n\nStory highlights\n\nTwo extra sailings a day from May\n\n"
              "Fares frozen until the end of the year\n\nBy Morwenna Trelawny-Fox\n\n" + STORY)
    assert split_text_scrape(scrape, catalogue=catalogue)["title"] == HEAD


# ------------------------------------------------------------------ authors
@pytest.mark.parametrize("byline, authors", [
    ("Written by: Kojo Mensah-Arthur, Tamale Bureau", ["Kojo Mensah-Arthur"]),
    ("Compiled by Ines Araujo | Courts Desk", ["Ines Araujo"]),
    ("Words by Petra Vahl · March 3, 2025", ["Petra Vahl"]),
    ("Words and photos by Petra Vahl", ["Petra Vahl"]),
    ("Text and photos: Petra Vahl", ["Petra Vahl"]),
    ("Posted by Petra Vahl", ["Petra Vahl"]),
    ("Story by Petra Vahl, Photos by Idris Kamara", ["Petra Vahl"]),
    ("By Petra Vahl (Gullhaven Lantern)", ["Petra Vahl"]),
    ("Petra Vahl, Ports and Shipping Editor", ["Petra Vahl"]),
    ("Petra Vahl, Harbour Desk", ["Petra Vahl"]),
    ("Petra Vahl | Reuters", ["Petra Vahl"]),
    ("Idris Kamara at Gullhaven Park", ["Idris Kamara"]),
    ("By Petra Vahl in Mombasa and Idris Kamara in Freetown", ["Petra Vahl", "Idris Kamara"]),
    ("By Petra Vahl in Mombasa", ["Petra Vahl"]),
    ("Written by Petra Vahl, Island Bureau Chief", ["Petra Vahl"]),
    ("Reporter: Petra Vahl", ["Petra Vahl"]),
    ("By the Gullhaven Lantern Editorial Board", []),
    ("Posted: Tuesday, March 4, 2025 4:12 PM\nBy Petra Vahl | pvahl@example.com", ["Petra Vahl"]),
    ("Petra Vahl (The Gullhaven Lantern)", ["Petra Vahl"]),
    ("Posted by Petra Vahl, Regional Organiser, South West", ["Petra Vahl"]),
    ("Words: Petra Vahl", ["Petra Vahl"]),
    ("Na / By Petra Vahl", ["Petra Vahl"]),
    ("P.Vahl\n3 March 2025", ["P.Vahl"]),
    ("By Dr. Petra Vahl", ["Petra Vahl"]),
    ("By Petra Vahl, Northern Gullhaven", ["Petra Vahl"]),
    ("Written by: Petra Vahl | Translated by: Ola Berg", ["Petra Vahl"]),
    ("– By Petra Vahl, Region Six Bureau", ["Petra Vahl"]),
    ("Reporting: Petra Vahl, Community Reporter", ["Petra Vahl"]),
])
def test_bylines_of_many_house_styles_give_only_the_writers(catalogue, byline, authors):
    scrape = "The Gullhaven Lantern\n" + HEAD + "\n" + byline + "\n\n" + STORY
    out = split_text_scrape(scrape, catalogue=catalogue)
    assert out["title"] == HEAD
    assert out["authors"] == authors
    assert out["body"].startswith("The harbour board approved")


def test_a_region_label_above_the_headline_is_not_an_author(catalogue):
    scrape = ("Gullhaven Province\n" + HEAD + "\nAnnika Sol Bergqvist\nChaitra 4, 2082\n\n" + STORY)
    out = split_text_scrape("The Gullhaven Lantern\n" + scrape, catalogue=catalogue)
    assert out["authors"] == ["Annika Sol Bergqvist"]
    assert "Chaitra 4, 2082" in out["boilerplate"]


def test_desks_and_job_titles_are_not_people():
    assert authors_from_byline("Petra Vahl, Harbour Bureau") == ["Petra Vahl"]
    assert not names_a_person("Programmes Officer (Coastal)")
    assert names_a_person("Petra Vahl")


# ------------------------------------------------------------------ publication date
def test_a_release_date_wins_over_a_later_last_updated_line():
    text = "Water main work\n\nRelease Date: 03/14/2026\n\nCrews start Monday.\n\nLast updated: 03/15/2026\n"
    assert date_from_text(text) == "2026-03-14"


def test_the_first_published_time_on_an_updated_line_is_the_publication_date():
    text = ("Shire council\n\nUpdated March 3 2026 - 4:15pm, first published 9:05am\n\n"
            "Councillors of Dubbo City Council voted on Tuesday.\n")
    assert date_from_text(text) == "2026-03-03T09:05:00+11:00"
    # its own date when it has one
    assert date_from_text("Note\n\nUpdated 4 May 2025 10:00, first published 2 May 2025 08:00\n\n"
                          "The board met.") == "2025-05-02T08:00:00"


@pytest.mark.parametrize("text, expected", [
    # a dateline in words agrees with one reading of the numeric date
    ("Markets\n\nDate: 05/03/2026\n\nTamale, March 5 - Traders moved stalls.", "2026-03-05"),
    ("Markets\n\nDate: 05/03/2026\n\nTRENTON, May 3 - Traders moved stalls.", "2026-05-03"),
    # dashes: the European way
    ("Bikes\n\n04-11-2025\n\nThe council said racks were full.", "2025-11-04"),
    # the page's places put it in a country whose English press writes day first
    ("Markets\n\nDate: 05/03/2026\n\nTraders in Kumasi and Tamale moved stalls on Monday.", "2026-03-05"),
    # ... or month first
    ("Levee\n\nRelease date: 05/03/2026\n\nCrews in Chicago and Milwaukee finished work.", "2026-05-03"),
    # an English page from a country writing in another language: no cue, month first
    ("Wind\n\n05/03/2026\n\nVillagers near Berlin voted for the turbines.", "2026-05-03"),
])
def test_numeric_dates_read_by_the_pages_own_cues(text, expected):
    assert date_from_text(text) == expected


@pytest.mark.parametrize("stamp", ["Posted yesterday at 5:02 p.m.", "3 hours ago", "Chaitra 4, 2082"])
def test_relative_stamps_and_other_calendars_are_not_publication_dates(stamp):
    assert date_from_text(f"Headline\n\n{stamp}\n\nThe board met.") is None


def test_page_zone_ignores_surname_halves_and_capitals_by_position():
    text = ("Morwenna Trelawny-Bale\n\nGrowers near Griffith City Council said water was short.\n\n"
            "Most viewed\n1. Man charged after crash on the highway\n")
    assert page_zone(text) == "Australia/Sydney"
    assert page_country(text) == "AU"


def test_a_text_scrape_through_the_pipeline_gets_title_author_and_first_published_time(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "ferry.txt").write_text(
        "GULLHAVEN ROWING\nGullhaven 3 - 1 Porthmere\nGullhaven win by two lengths\n\n" + HEAD +
        "\nWritten by: Kojo Mensah-Arthur, Harbour Bureau\n"
        "Updated 4 March 2025 - 4:15 PM GMT, first published 9:05 AM\n\n" + STORY)
    out = tmp_path / "out"
    assert run_cli("--input", str(inp), "--output", str(out), "--no-entities", "-q") == 0
    row, = read_articles(out).to_pylist()
    assert row["title"] == HEAD
    assert row["authors"] == ["Kojo Mensah-Arthur"]
    assert row["published_at_source"] == "text"
    assert row["published_at"].isoformat().startswith("2025-03-04T09:05")


@pytest.mark.parametrize("raw, authors", [
    (["Compiled by Ines Araujo"], ["Ines Araujo"]),
    (["Story by Petra Vahl, Photos by Idris Kamara"], ["Petra Vahl"]),
    (["Petra Vahl in Mombasa"], ["Petra Vahl"]),
    (["Posted by Petra Vahl"], ["Petra Vahl"]),
    (["Petra Vahl, Ports and Shipping Editor"], ["Petra Vahl"]),
    (["City of Gullhaven"], []),                    # a press release's publisher
    (["Media Relations Office"], []),
    (["The Gullhaven Lantern Editorial Board"], []),
])
def test_page_metadata_authors_keep_only_people(raw, authors):
    from transforms.extract import clean_authors
    assert clean_authors(raw) == authors


def test_a_headline_with_a_standfirst_and_byline_under_it_is_found_below_a_result_line(catalogue):
    scrape = ("GULLHAVEN ROWING\nGullhaven 3 - 1 Porthmere\nGullhaven win by two lengths\n\n" + HEAD +
              "\nThe council says the extra sailings will run until the end of October at least.\n"
              "By Morwenna Trelawny-Fox\n\n" + STORY)
    out = split_text_scrape(scrape, catalogue=catalogue)
    assert out["title"] == HEAD
    assert out["authors"] == ["Morwenna Trelawny-Fox"]


@pytest.mark.parametrize("name, author", [
    ("ZEYNEP ÇAĞLAYAN-ÖZ", "Zeynep Çağlayan-Öz"),        # in capitals, right under the headline
    ("Radosław Wiśniewski", "Radosław Wiśniewski"),       # Latin Extended-A letters
])
def test_a_bare_name_right_under_the_headline_is_the_author(catalogue, name, author):
    scrape = "The Gullhaven Lantern\n" + HEAD + "\n" + name + "\nPublished\n3 March 2025 - 11:40\n\n" + STORY
    out = split_text_scrape(scrape, catalogue=catalogue)
    assert out["authors"] == [author]
    assert name in out["boilerplate"]


def test_a_radio_page_in_two_languages_gives_headline_author_and_its_lists_leave(catalogue):
    """A station's masthead with its slogan, a player bar saying what is on air, a menu,
    then the headline with a bilingual date stamp and byline ("Na / By"); further down
    a bilingual "more news" label over two "»" headlines."""
    lead = ["KISIWA FM 101.2 — Sauti ya Pwani", "▶ SIKILIZA LIVE / LISTEN LIVE",
            "Sasa hewani / Now on air: Asubuhi Njema with Bi Zawadi (06:00–09:00)",
            "Habari | Michezo | Burudani | News | Sports"]
    more = ["HABARI ZAIDI / MORE NEWS", "» Dhow race postponed by strong winds",
            "» Council opens new fish landing site"]
    scrape = "\n".join([*lead, HEAD, "Imechapishwa / Published: 3 March 2025 | 10:15 EAT",
                        "Na / By Amina Said", *STORY.strip().split("\n\n")[:1], "", *more, "",
                        STORY.strip().split("\n\n")[1]])
    out = split_text_scrape(scrape, catalogue=catalogue)
    assert out["title"] == HEAD
    assert out["authors"] == ["Amina Said"]
    assert out["body"].split("\n\n") == STORY.strip().split("\n\n")
    assert all(line in out["boilerplate"] for line in more)
    assert out["credits"] == []


def test_a_newsletter_words_byline_and_a_diary_list_at_its_end(catalogue):
    """"Words: Name" signs a newsletter's headline; a "MEMBERS' DIARY" list of dated
    events after the story's last sentence is the newsletter's, not the story's."""
    diary = ["MEMBERS' DIARY", "• 17 March – Board meeting, harbour office, 10:00",
             "• 24 March – Safety forum (registration required)"]
    scrape = "\n\n".join(["HARBOUR LINES", "IN THIS ISSUE", "1. Island ferry adds crossings", "NEWS",
                          HEAD, "Words: Amina Said", STORY.strip(), *diary,
                          "You are receiving this email because you are a member. Unsubscribe"])
    out = split_text_scrape(scrape, catalogue=catalogue)
    assert out["title"] == HEAD
    assert out["authors"] == ["Amina Said"]
    assert out["body"].split("\n\n") == STORY.strip().split("\n\n")
    assert all(line in out["boilerplate"] for line in diary)


def test_a_wrapped_newsletter_gives_its_top_story_headline_and_writer(catalogue):
    """A hard-wrapped e-mail: a web-view bar, the masthead, an intro paragraph between
    rule lines, a section label, then the headline with "Written by" right under it."""
    scrape = "\n".join([
        "View in browser | Forward to a friend", "THE HARBOUR BRIEF",
        "Island news before your second coffee", "-" * 70,
        "Good morning from Gullhaven. Today: a ferry timetable, a closed",
        "slipway and the week's council votes in one table for you.", "-" * 70, "",
        "TOP STORY", HEAD, "Written by Amina Said, Gullhaven correspondent", "",
        "The harbour board approved a new timetable for the island ferry on",
        "Tuesday, adding two evening crossings from the first week of May.", "",
        "Ticket prices will stay the same until the end of the year, the",
        "board said, and the new crossings will be run by the smaller boat.", "",
        "Skippers said they had asked for the later crossings for years, and",
        "the board said it would review the timetable again in the autumn."])
    out = split_text_scrape(scrape, catalogue=catalogue)
    assert out["title"] == HEAD
    assert out["authors"] == ["Amina Said"]
    assert out["body"].startswith("The harbour board approved a new timetable for the island ferry on Tuesday")


def test_a_headline_under_a_masthead_slogan_with_its_standfirst_name_and_stamp(catalogue):
    """A masthead motto that reads as sentences, then the headline, a standfirst without
    its full stop, the writer's name, role and a "Published:" stamp."""
    scrape = "\n".join([
        "English | Français", "THE GULLHAVEN STAR", "Independent. Island. In English.",
        "Home / Island / Harbour", "", HEAD,
        "The two crossings will leave the harbour at seven and nine in the evening", "",
        "Amina Said", "Harbour Correspondent", "Published: Tuesday, 4 March 2025 - 02:15 PM", "",
        STORY])
    out = split_text_scrape(scrape, catalogue=catalogue)
    assert out["title"] == HEAD
    assert out["authors"] == ["Amina Said"]


def test_a_posted_stamp_then_by_names_the_writer(catalogue):
    scrape = "\n".join(["The Gullhaven Lantern", "BUSINESS", HEAD,
                        "Posted Tuesday, March 4, 2025 8:47 pm by Amina Said", STORY])
    out = split_text_scrape(scrape, catalogue=catalogue)
    assert out["title"] == HEAD and out["authors"] == ["Amina Said"]


def test_a_police_release_in_two_languages(catalogue):
    """A service's name and motto, a pointer to the French text, release fields, the
    headline right above a paragraph opened by "(PLACE, ON) –", and the French version
    at the end: title, dateline and the English story only."""
    scrape = "\n".join([
        "GULLHAVEN REGIONAL POLICE SERVICE", "Serving Gullhaven, Alder Bay, Porthmere and Wickton",
        "NEWS RELEASE / COMMUNIQUÉ", "Ce communiqué est aussi disponible en français à la fin de ce document.", "",
        "FOR IMMEDIATE RELEASE", "Date: Tuesday, March 4, 2025", "Time: 10:45 a.m.", "", HEAD, "",
        "(GULLHAVEN, ON) – " + STORY.strip().split("\n\n")[0], "", STORY.strip().split("\n\n")[1], "",
        "-30-", "", "VERSION FRANÇAISE",
        "Le conseil du port a approuvé mardi un nouvel horaire pour le traversier de l'île.",
        "Pour la version intégrale en français, veuillez communiquer avec les Communications."])
    out = split_text_scrape(scrape, catalogue=catalogue)
    assert out["title"] == HEAD
    assert out["dateline"] == "GULLHAVEN, ON"
    assert out["authors"] == []
    assert out["body"].split("\n\n") == STORY.strip().split("\n\n")


def test_a_site_greeting_over_a_headline_with_its_date_and_time_stamp(catalogue):
    scrape = "\n".join(["Mālō e lelei! Welcome to Harbour News", "HARBOUR NEWS",
                        "Gullhaven's independent news, in English and Gullish", "Home | News | Sport | Contact",
                        "", HEAD, "Tuesday, March 4, 2025 - 17:32", "By Amina Said, Harbour Reporter", "",
                        "Gullhaven, 4 March 2025 (Harbour News): " + STORY.strip()])
    out = split_text_scrape(scrape, catalogue=catalogue)
    assert out["title"] == HEAD and out["authors"] == ["Amina Said"] and out["dateline"] == "Gullhaven"


def test_a_standfirst_without_its_full_stop_over_the_byline_is_not_the_story(catalogue):
    sf = "The two crossings will leave the harbour at seven and nine in the evening, the board says"
    scrape = "\n".join(["The Gullhaven Lantern", "", HEAD, "", sf, "",
                        "Amina Said · The Gullhaven Lantern · Posted: Mar 04, 2025 6:00 AM", "", STORY])
    out = split_text_scrape(scrape, catalogue=catalogue)
    assert out["title"] == HEAD and sf in out["boilerplate"]
    assert out["body"].split("\n\n") == STORY.strip().split("\n\n")


def test_a_headline_under_a_masthead_motto_with_the_story_right_under_it(catalogue):
    scrape = ("Skip to content\nHARBOUR TIMES\nYour trusted source for island news.\n"
              "News | Sport | Weather | Opinion\n\nFerry fares to rise in May as fuel costs bite\n\n"
              "The harbour board approved a new timetable for the island ferry on Tuesday, adding two "
              "evening crossings from the first week of May and raising fares by a tenth.\n\n"
              "Ticket prices will stay the same until the end of April, the board said.\n")
    out = split_text_scrape(scrape, catalogue=catalogue)
    assert out["title"] == "Ferry fares to rise in May as fuel costs bite"
    assert out["body"].startswith("The harbour board approved")


@pytest.mark.parametrize("lead, byline, author", [
    (["RO | RU | EN", "NISTRU TODAY", "Știri fără frontiere · News without borders",
      "Politics   Economy   Society   Regions"], "de Amina Said\nPublicat: 12.11.2026, 09:47", "Amina Said"),
    (["LB  FR  DE  EN  PT", "BRÉCK", "Luxembourg in English · Mir wëlle bleiwe wat mir sinn", "MOBILITY"],
     "Text: Amina Said  |  Photo: Ola Berg\nThursday 19.11.26, 07:45", "Amina Said"),
])
def test_language_switchers_and_mottos_over_a_headline_in_other_languages(catalogue, lead, byline, author):
    scrape = "\n".join([*lead, "", HEAD, "", byline, "", STORY])
    out = split_text_scrape(scrape, catalogue=catalogue)
    assert out["title"] == HEAD and out["authors"] == [author]


def test_an_agency_dateline_under_a_caption_signs_the_headline(catalogue):
    scrape = "\n".join(["O'zbekcha  |  Ўзбекча  |  Русский  |  English", "SHARQ NEWS AGENCY",
                        "Regions › Fergana region", "14.10.2026 | 16:05", HEAD,
                        "Solar dryers at a household plot.  Photo: SIA / Ola Berg",
                        "FERGANA, October 14 /SIA/. " + STORY.strip()])
    out = split_text_scrape(scrape, catalogue=catalogue)
    assert out["title"] == HEAD and out["dateline"] == "FERGANA"


def test_a_standfirst_sentence_right_above_a_name_and_place_byline(catalogue):
    sf = "Two evening crossings will be added from May, the harbour board says."
    scrape = "\n".join(["The Gullhaven Lantern", "", HEAD, "", sf, "", "Amina Said | Gullhaven", "", STORY])
    out = split_text_scrape(scrape, catalogue=catalogue)
    assert out["title"] == HEAD and out["authors"] == ["Amina Said"] and sf in out["boilerplate"]
    assert out["body"].split("\n\n") == STORY.strip().split("\n\n")

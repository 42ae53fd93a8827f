"""Publication times written with a zone abbreviation of a country nobody wrote rules for,
with an abbreviation that names several zones, or with no zone at all: the page's own
zone (country domain, dateline, places it names) decides.  Sentences written for the test."""
from __future__ import annotations

import pytest

from transforms.dates import date_from_text
from transforms.dates_zones import page_zone


@pytest.mark.parametrize("text, expected", [
    ("Port fees rise\nPublished November 12, 2025 9:15 am PKT\n\nKARACHI — The port said.",
     "2025-11-12T09:15:00+05:00"),
    ("Rationing\nPublished 3 March 2025, 14:05 EAT\n\nNAIROBI — Taps ran dry.", "2025-03-03T14:05:00+03:00"),
    ("Harbour\nPublished 3 March 2025 08:30 SAST\n\nText.", "2025-03-03T08:30:00+02:00"),
    ("Jeepneys\nPublished March 3, 2025 8:30 PM PHT\n", "2025-03-03T20:30:00+08:00"),
    ("Rail\nPublished March 3, 2025 8:30 JST\n", "2025-03-03T08:30:00+09:00"),
    ("Ports\nPublished March 3, 2025 8:30 KST\n", "2025-03-03T08:30:00+09:00"),
    ("Ferries\nPublished 3 March 2025 08:30 TRT\n", "2025-03-03T08:30:00+03:00"),
    ("Islands\nPublished 3 July 2025 08:30 EEST\n", "2025-07-03T08:30:00+03:00"),
    ("Snow\nPublished Jan 3, 2025 8:30 a.m. AKST\n", "2025-01-03T08:30:00-09:00"),
    ("Rodeo\nPublished Jan 3, 2025 8:30 a.m. CST\n\nAUSTIN, Texas — The show opened.",
     "2025-01-03T08:30:00-06:00"),
])
def test_zone_abbreviations_of_many_countries(text, expected):
    assert date_from_text(text) == expected


@pytest.mark.parametrize("text, expected", [
    # AST: Atlantic on a Puerto Rico or Nova Scotia page, Arabia on a Saudi one
    ("Power cut\nPublished Jan 3, 2025 8:30 AST\n\nSAN JUAN, Puerto Rico — Lights went out.",
     "2025-01-03T08:30:00-04:00"),
    ("Fares\nPublished Nov 04, 2025 • 5:42 p.m. AST\n\nHALIFAX — Council voted.", "2025-11-04T17:42:00-04:00"),
    ("Metro\nPublished Jan 3, 2025 8:30 AST\n\nRIYADH — Saudi Arabia opened a line.",
     "2025-01-03T08:30:00+03:00"),
    # CST: US Central unless the page is in China; IST: India unless the page is Irish
    ("Chips\nPublished Jan 3, 2025 8:30 CST\n\nSHENZHEN, China — Output rose in Guangdong.",
     "2025-01-03T08:30:00+08:00"),
    ("Rents\nTue Oct 14 2025 - 06:00 IST\n\nDublin City Council said rents rose in Dublin.",
     "2025-10-14T06:00:00+01:00"),
    ("Monsoon\nPublished Jul 14 2025 06:00 IST\n\nMUMBAI — Rain flooded Maharashtra.",
     "2025-07-14T06:00:00+05:30"),
])
def test_an_ambiguous_abbreviation_takes_the_reading_of_the_pages_country(text, expected):
    assert date_from_text(text) == expected


def test_an_ambiguous_abbreviation_with_no_place_cue_keeps_only_the_day():
    assert date_from_text("Note\nPublished Jan 3, 2025 8:30 AST\n\nThe board met.") == "2025-01-03T08:30:00"


@pytest.mark.parametrize("text, url, expected", [
    ("Smog\nPublished 3 Jan 2025 - 08:30\n\nLahore residents in Punjab said the air was worse.", None,
     "2025-01-03T08:30:00+05:00"),
    ("Housing\nTue Oct 14 2025 - 06:00\n\nCardiff council in Wales said homes were late.", None,
     "2025-10-14T06:00:00+01:00"),
    ("Flooding\nJan 14 2025 - 06:00\n\nQuezon City officials said roads were shut.", None,
     "2025-01-14T06:00:00+08:00"),
    ("Trams\n14.01.2025 06:00\n\nKraków officials in Poland said the line reopens.", None,
     "2025-01-14T06:00:00+01:00"),
    ("Housing\nTue Oct 14 2025 - 06:00\n\nThe council said homes were late.", "https://news.example.ie/a",
     "2025-10-14T06:00:00+01:00"),
])
def test_a_time_without_a_zone_is_read_in_the_pages_own_zone(text, url, expected):
    assert date_from_text(text, url=url) == expected


def test_a_time_without_a_zone_and_without_a_place_stays_naive():
    assert date_from_text("Note\nJan 14 2025 - 06:00\n\nThe board met.") == "2025-01-14T06:00:00"


@pytest.mark.parametrize("text, zone", [
    ("ANCHORAGE, Alaska — Snow fell.", "America/Anchorage"),
    ("Officials in Texas said the storm passed Houston.", "America/Chicago"),
    ("Flooding in Norfolk and Suffolk closed roads.", "Europe/London"),
    ("Dries Van Acker piloted the ship into Antwerp.", "Europe/Brussels"),
    ("Most people in Thessaloníki and Athens voted.", "Europe/Athens"),
])
def test_page_zone_from_the_places_a_page_names(text, zone):
    assert page_zone(text) == zone


def test_page_zone_prefers_the_country_domain_of_a_one_zone_country():
    assert page_zone("Officials in Texas said.", "https://www.example.co.za/news/1") == "Africa/Johannesburg"


def test_a_small_town_written_as_a_dateline_gives_the_zone_of_an_unzoned_time():
    text = ("Harbour news\nPublished Nov. 6, 2025, 9:40 a.m.\n\n"
            "SHEDIAC – The lobster boats stayed in port on Wednesday because of the wind.")
    assert date_from_text(text) == "2025-11-06T09:40:00-04:00"


def test_a_small_town_whose_name_is_shared_across_clocks_gives_no_zone():
    text = ("Water news\nPublished Nov. 6, 2025, 9:40 a.m.\n\n"
            "TAOS – The ditch association met on Wednesday to share out the water.")
    assert date_from_text(text) == "2025-11-06T09:40:00"


@pytest.mark.parametrize("text, expected", [
    # a day-first date with a two-digit year right after the label, the zone from the dateline
    ("Rail\nPublished: 09.03.25, 08:15\n\nHAIFA -- The line reopened after repairs.", "2025-03-09T08:15:00+02:00"),
    # the month word between hyphens, a British summer stamp
    ("Cricket\n04-Jun-2025 • 18:20 BST\n\nThe home side won by six wickets.", "2025-06-04T18:20:00+01:00"),
])
def test_publication_stamps_of_less_common_shapes(text, expected):
    assert date_from_text(text) == expected


def test_a_two_digit_year_is_not_read_in_running_text():
    assert date_from_text("Rail\n\nVersion 09.03.25 of the timetable was printed.") is None


def test_a_publication_label_in_two_languages_and_a_dateline_on_its_own_line():
    assert date_from_text("Lentoja\nJulkaistu / Published 3.12.2025 09:41\n\nROVANIEMI -- The airport said.") \
        == "2025-12-03T09:41:00+02:00"
    text = "ACME NV\nFOR IMMEDIATE RELEASE\nAcme opens a plant\nSee page 4\n\nMIDDELBURG, 5 November 2025 –\nAcme said."
    assert date_from_text(text) == "2025-11-05"


@pytest.mark.parametrize("text, zone", [
    ("Conservation officers in Manitoba added night patrols as bears stayed near Hudson Bay.", "America/Winnipeg"),
    ("Two clubs in Queensland confirmed the signing on Thursday.", "Australia/Brisbane"),
])
def test_a_province_or_state_named_gives_its_zone_and_a_bay_is_no_town(text, zone):
    assert page_zone(text) == zone


def test_a_release_date_and_its_time_on_the_next_label_line():
    text = "FOR IMMEDIATE RELEASE\nDate: Thursday, December 3, 2026\nTime: 10:45 a.m.\n\nPolice said ..."
    assert date_from_text(text).startswith("2026-12-03T10:45")


def test_a_dated_dateline_takes_the_time_of_a_stamp_on_the_same_day():
    text = ("Tuesday, September 8, 2026 - 17:32\nBy Ana Roe\n"
            "Nukuʻalofa, 8 September 2026 (Harbour News): The unit opened on Tuesday.")
    assert date_from_text(text, dateline_prefix="Nukuʻalofa, 8 September 2026 (Harbour News):").startswith(
        "2026-09-08T17:32")


@pytest.mark.parametrize("text, start", [
    ("Society\n10:32, 2 December 2026    👁 3 204    💬 47\n\nHeating pipes burst\n\n"
     "BISHKEK, 1 December 2026 – Residents were left without heating.", "2026-12-02T10:32"),
    ("Regions › Fergana region\n14.10.2026 | 16:05      👁 2 311\nFarmers switch to solar dryers", "2026-10-14T16:05"),
    ("SLUG: COURT SLURRY EDEN\nFILED: 27/10/2026 14:52\nWORDS: 320", "2026-10-27T14:52"),
])
def test_stamps_with_counters_times_after_a_bar_and_filed_labels(text, start):
    assert date_from_text(text).startswith(start)


def test_a_one_word_name_with_a_macron_is_no_small_city_elsewhere():
    assert page_zone("Kaumātua Hēmi Rātū said the road would reopen.") is None


@pytest.mark.parametrize("text, start", [
    ("THE HARBOUR SENTINEL\nJeudi 8 octobre 2026 | Thursday, 8 October 2026\n"
     "By Ana Roe, Correspondent in Limbe\nPublié le 08/10/2026 à 07h45 | Mis à jour le 08/10/2026 à 11h20\n",
     "2026-10-08T07:45"),
    ("THE HARBOUR LANTERN\nSunday 18 October 2026 · Vol. 84 No. 41 · EC$2.00\nNews\n", "2026-10-18"),
])
def test_a_time_written_07h45_and_a_masthead_date_line_with_its_issue(text, start):
    assert date_from_text(text).startswith(start)

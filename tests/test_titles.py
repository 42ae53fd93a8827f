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
    ["Bay of Kauri Times-Courier", "Regional News"],            # a masthead of four words
    ["Vale of Ember Chronicle", "Premium"],                     # masthead and a badge
    ["Lakeshore Morning Echo", "Local"],                        # masthead ending in an outlet word
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
    "Jets Name New Team Leader\nThe former captain takes over from the coach who quit in May\n\n" + STORY,
    "Jets Name New Team Leader\n\nBy Ana Ruiz\n\n" + STORY,
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


@pytest.mark.parametrize("masthead, foot", [
    ("Greyhaven Island Voice", "© 2025 Greyhaven Island Voice. All rights reserved."),
    ("Mirefield Valley Ledger Online", "Jane Tull · Mirefield Valley Ledger Online · 4 March 2025"),
])
def test_a_masthead_named_again_further_down_is_not_the_title(catalogue, masthead, foot):
    head = "Island ferry adds two evening crossings from May"
    out = split_text_scrape(masthead + "\n\n" + head + "\n\n" + STORY + "\n" + foot + "\n", catalogue=catalogue)
    assert out["title"] == head
    assert masthead in out["boilerplate"]


def test_a_masthead_spelled_as_the_url_domain_is_not_the_title(catalogue):
    from transforms.anatomy import split_draft
    head = "Island ferry adds two evening crossings from May"
    draft = {"source_kind": "text", "title": "Quarry Bend Valley Voice", "url": "https://www.quarrybendvalleyvoice.example/a/1",
             "text": "\n" + head + "\n\n" + STORY}
    assert split_draft(draft, catalogue=catalogue)["title"] == head
    draft["url"] = "https://elsewhere.example/a/1"              # no match: the headline that says what the
    assert split_draft(draft, catalogue=catalogue)["title"] == head     # lead says still is the title ...
    pun = "All aboard for longer summer evenings"
    draft["text"] = "\n" + pun + "\n\n" + STORY                 # ... but a pun sharing nothing: the first line stays
    assert split_draft(draft, catalogue=catalogue)["title"] == "Quarry Bend Valley Voice"


def test_a_role_and_date_bar_above_the_headline_is_furniture(catalogue):
    head = "Island ferry adds two evening crossings from May"
    lead = ["The Island Courier", "Transport Reporter · The Island Courier · 3 Nov, 2025 05:00 AM · 4 mins to read"]
    out = split_text_scrape("\n".join(lead) + "\n\n" + head + "\n\n" + STORY, catalogue=catalogue)
    assert out["title"] == head


# ------------------------------------------------------------------ authors of text scrapes
@pytest.mark.parametrize("byline, authors", [
    ("Por Lucía Fernández", ["Lucía Fernández"]),
    ("Por Lucía Fernández | Madrid", ["Lucía Fernández"]),
    ("Von Katrin Vogel, dpa", ["Katrin Vogel"]),
    ("Par Camille Durand, AFP", ["Camille Durand"]),
    ("di Marta Bellini", ["Marta Bellini"]),
    ("Jane Tull, Political Reporter", ["Jane Tull"]),
    ("Jane Tull, Senior Reporter, The Valley Echo", ["Jane Tull"]),
    ("Von Katrin Vogel und Jens Berg", ["Katrin Vogel", "Jens Berg"]),
    ("Par Camille Durand et Hugo Lenoir", ["Camille Durand", "Hugo Lenoir"]),
    ("By Ana Silva, Ben Cole and Cai Wen", ["Ana Silva", "Ben Cole", "Cai Wen"]),
    ("Words by Mina Okafor", ["Mina Okafor"]),
    ("Story by Jo Lamb", ["Jo Lamb"]),
    ("Reporting by Sam Ortiz; Editing by Lee Park", ["Sam Ortiz"]),
    ("Jordan Pike · Coastal Current News · Posted: Mar 03, 2025 5:00 AM PST", ["Jordan Pike"]),
    ("By Jane Tull\nSenior Health Reporter", ["Jane Tull"]),
    ("Social Sharing\n\nBy Jane Tull", ["Jane Tull"]),
    ("Medically reviewed by Dr Olu Mensah\nEdited by Carla Brandt\nBy Jane Tull", ["Jane Tull"]),
])
def test_text_scrape_authors_in_many_byline_forms(catalogue, byline, authors):
    head = "River levels fall as the dry spell stretches into a third month"
    scrape = f"The Valley Echo\n{head}\n\n{byline}\n\n" + STORY
    out = split_text_scrape(scrape, catalogue=catalogue)
    assert out["title"] == head
    assert out["authors"] == authors
    assert out["body"].startswith("The harbour board approved")


def test_a_role_bar_with_a_date_gives_no_author(catalogue):
    scrape = ("River levels fall as the dry spell stretches into a third month\n\n"
              "Rural Reporter · Valley Echo · 3 Nov, 2025 05:00 AM\n\n" + STORY)
    assert split_text_scrape(scrape, catalogue=catalogue)["authors"] == []


def test_a_headline_signed_by_name_under_an_email_header_and_a_markets_box_is_the_title(catalogue):
    head = "Island ferry adds two evening crossings from May"
    scrape = ("Read this issue in your browser\nFrom: The Harbour Brief <news@harbourbrief.example>\n"
              "Date: Mon, 3 Mar 2025 06:00:00 +0000\nSubject: Ferries, fares and a Monday mystery\n"
              "THE HARBOUR BRIEF\nMorning, all. It is Monday and the tide is out.\nRATES TODAY\n"
              "Fuel | Price\nDiesel | 1.42\nPrices at Friday's close; delayed 15 minutes.\nOUR LEAD\n"
              f"{head}\nBy Ana Ruiz\n\n" + STORY)
    out = split_text_scrape(scrape, catalogue=catalogue)
    assert out["title"] == head and out["authors"] == ["Ana Ruiz"]
    assert out["body"].startswith("The harbour board approved")
    assert "Subject: Ferries, fares and a Monday mystery" in out["boilerplate"]


def test_a_short_sentence_above_a_headline_with_only_a_date_under_it_keeps_the_first_line(catalogue):
    scrape = ("Harbour notes\nIt is Monday and the tide is out.\n"
              "Island ferry adds two evening crossings from May\n3 March 2025\n\n" + STORY)
    assert split_text_scrape(scrape, catalogue=catalogue)["title"] == "Harbour notes"


@pytest.mark.parametrize("lead", [
    ["HARBOUR NEWS AGENCY", "Transport", "Font size: A+ A-", "Print"],          # text-size controls
    ["Harbour Board Office", "News release", "For immediate release", "3 March 2025",
     "Amended 4 March 2025: contact details corrected."],                       # a dated housekeeping note
])
def test_the_headline_below_controls_and_notes_is_the_title(catalogue, lead):
    head = "Island ferry adds two evening crossings from May"
    scrape = "\n".join(lead) + "\n" + head + "\n\n" + STORY
    out = split_text_scrape(scrape, catalogue=catalogue)
    assert out["title"] == head
    assert all(line in out["boilerplate"] for line in lead)


def test_a_bilingual_byline_gives_the_author_and_anchors_the_headline(catalogue):
    head = "Island ferry adds two evening crossings from May"
    scrape = ("Le Courrier | The Courier\nActualités / News\n" + head +
              "\nPar / By Jeanne Doucet-Arsenault\n\n" + STORY)
    out = split_text_scrape(scrape, catalogue=catalogue)
    assert out["title"] == head and out["authors"] == ["Jeanne Doucet-Arsenault"]


def test_a_ticker_line_of_prices_is_not_a_headline(catalogue):
    head = "Island ferry adds two evening crossings from May"
    scrape = ("HARBOUR MARKETS WIRE\nMarkets | Stocks | Deals\n"
              "HFL  12.40  ▼ 1.10 (-8.15%)    FTSE FUT  8,120.5  ▲ 0.2%\n"
              "Quotes delayed at least 15 minutes.\n" + head + "\n03/03/2025 07:14 AM ET\nBy Ana Ruiz\n\n" + STORY)
    out = split_text_scrape(scrape, catalogue=catalogue)
    assert out["title"] == head and out["authors"] == ["Ana Ruiz"]


def test_a_laid_out_masthead_bar_is_furniture_above_the_headline(catalogue):
    head = "Island ferry adds two evening crossings from May"
    scrape = "HARBOUR FERRIES PLC                          PRESS KIT\nFOR IMMEDIATE RELEASE\n" + head + "\n\n" + STORY
    assert split_text_scrape(scrape, catalogue=catalogue)["title"] == head


def test_a_bilingual_motto_with_the_date_under_it_is_not_the_headline_over_a_signed_one(catalogue):
    head = "Island ferry adds two evening crossings from May"
    scrape = ("FR | EN — Vous lisez l'édition anglaise / You are reading the English edition\n"
              "THE ISLAND COURIER\n« Les nouvelles de l'île » — News of the island\n"
              "Mardi 4 mars 2025 | Tuesday, 4 March 2025\nHome | Island | Sports | Opinion\n"
              + head + "\nBy Jeanne Doucet-Arsenault, Correspondent in Port-Royal\n\n" + STORY)
    out = split_text_scrape(scrape, catalogue=catalogue)
    assert out["title"] == head and out["authors"] == ["Jeanne Doucet-Arsenault"]
    assert "« Les nouvelles de l'île » — News of the island" in out["boilerplate"]


def test_a_headline_over_a_notice_and_its_stamp_under_a_municipal_masthead(catalogue):
    head = "Island ferry adds two evening crossings from May"
    scrape = ("Dansk | English\nØhavets Kommune\nSammen ved havet – Together by the sea\n"
              "Home > News > Transport\n" + head + "\n"
              "This page has been machine-translated from Danish. If in doubt, the Danish text applies.\n"
              "Publiceret 4.3.2025 kl. 09.40 · Opdateret 5.3.2025 kl. 11.02\n"
              "Af / By: Kommunikation og Presse (Communications)\n\n" + STORY)
    out = split_text_scrape(scrape, catalogue=catalogue)
    assert out["title"] == head and out["authors"] == []
    assert out["body"].startswith("The harbour board approved")


@pytest.mark.parametrize("lead,under", [
    # a masthead's place and date, a ticker, a menu; the standfirst without a full stop; a bilingual byline with a role
    (["Asunción, martes 4 de marzo de 2025", "USD/PYG ₲ 7.412 ▲ 0,3% · Soja US$ 392/t ▼ 1,1%",
      "Economía | Agro | Finanzas | English"],
     ["Commuters move to the fish market landing while the old pier is repaired",
      "Por / By Lorena Benítez Ayala, transport editor | 04.03.2025 – 07:40"]),
    # a release: its standfirst without a full stop, a "Released:" stamp, then the byline
    (["Placencia · Hopkins · Dangriga", "Home | Plan Your Visit | Media", "FOR IMMEDIATE RELEASE"],
     ["Repairs cost BZ$2.1 million; operators count on 40 calls", "Released: Tuesday, 4 March 2025 – 10:30 a.m. CST",
      "By Keisha Avilez-Cho, Communications Officer"]),
    # a skip link in three languages, a trilingual stamp, a desk
    (["Siirry pääsisältöön / Hoppa till huvudinnehållet / Skip to main content", "Suomeksi | På svenska | In English"],
     ["Julkaistu / Publicerad / Published 4.3.2025 klo 13.15 | Päivitetty / Uppdaterad / Updated 5.3.2025 klo 8.40",
      "Viestintäyksikkö / Kommunikationsenheten / Communications Unit"]),
    # a bilingual alert label in capitals above the headline, a stamp with its local time in brackets
    (["Français | العربية | English", "BULLETIN SPÉCIAL — NIVEAU ORANGE / SPECIAL BULLETIN — ORANGE LEVEL"],
     ["Émis le / Issued: 04/03/2025 à 14h00 (heure locale / local time)"]),
    # a court alert: its number, a Hijri date; the case line between headline and byline
    (["Court reporting from the Kingdom of Bahrain | docket.example.bh", "Daily alert No. 1,862",
      "Sunday, 2 March 2025 | 2 Ramadan 1446", "HIGH CIVIL COURT | LABOUR"],
     ["Case 2/04511/2025/14 - First High Civil Court (Labour Chamber)",
      "Filed 18:40 AST by Fatema Al-Mahroos-Saleh, court reporter"]),
    # an e-mail digest: its headers, a greeting, a lead-story label, "Words: X · Photos: Y"
    (["Date: Fri, 07 Mar 2025 16:05:12 +0900", "Subject: Island Week #112: the ferry, bus cards",
      "To: subscribers@islandweek.example", "ISLAND WEEK · News from the islands",
      "Bondia! Welcome to this week's digest. Our lead story comes from the harbour, where the board has "
      "decided to add evening crossings. Scroll down for the bus cards and the weather.",
      "LEAD STORY / ISTÓRIA PRINSIPAL"],
     ["Words: Ana Maria da Costa Soares · Photos: Jacinto Belo"]),
])
def test_the_headline_over_its_standfirst_stamp_and_byline_is_the_title(catalogue, lead, under):
    head = "Island ferry adds two evening crossings from May"
    out = split_text_scrape("\n".join([*lead, head, *under]) + "\n\n" + STORY, catalogue=catalogue)
    assert out["title"] == head
    assert out["body"].startswith("The harbour board approved")


@pytest.mark.parametrize("lead", [
    ["From: Ferry Watch <digest@ferrywatch.example.org>", "Date: Tue, 4 Mar 2025 08:00:00 +0000",
     "Subject: [FW #12] This week on the water"],                              # an e-mail digest's header
    ["PAROISSE DE SAINT-ALBAN ET LA CROIX-HAUTE", "Newsletter of the united parishes", "-" * 40,
     "Office open Tuesday and Thursday mornings, call 0000 000 000"],         # a parish's masthead, no outlet word
])
def test_the_headline_that_says_what_the_lead_says_is_the_title(catalogue, lead):
    head = "Island ferry adds two evening crossings from May"
    scrape = "\n".join(lead) + "\n\n" + head + "\n\n" + STORY
    out = split_text_scrape(scrape, catalogue=catalogue)
    assert out["title"] == head
    assert out["body"].startswith("The harbour board approved")
    assert head not in out["boilerplate"]


@pytest.mark.parametrize("title, back", [
    ("(Quennell 23', Ashdown 71' pen.)", False),           # a score line the byline below signs
    ("By Mairead Quennell, transport correspondent in Harbourtown", True),     # the byline itself
])
def test_the_headline_above_a_signed_line_that_is_no_headline_is_the_title(catalogue, title, back):
    from transforms.titles import echo_headline
    head = "Island ferry adds two evening crossings from May"
    lead = ["HARBOUR WIRE · English Service", head, "FULL TIME · Harbour Park"]
    text = "Filed: 14/10/2026 09:42\n\n" + STORY
    got, rest, above = echo_headline(title, text, lead, catalogue=catalogue)
    assert got == head
    assert above[:2] == ["HARBOUR WIRE · English Service", "FULL TIME · Harbour Park"]
    assert rest.startswith(title) == back and (title in above) != back


def test_a_signed_headline_that_shares_little_with_the_lead_stays_the_title(catalogue):
    head = "All aboard for longer summer evenings"          # a pun: nothing in common with the lead
    scrape = head + "\nBy Mairead Quennell\n\nFerry board approves timetable\n\n" + STORY
    assert split_text_scrape(scrape, catalogue=catalogue)["title"] == head

"""Furniture of house styles nobody wrote rules for (issue 12, round 5): newsletters read
as pages, bilingual pages, lists of other stories under a label, a release's notes and
stamps, funding and licence notes. Each kind is phrased here in new words, next to
story lines of a similar shape that must stay."""
import pytest

from transforms.anatomy import Catalogue, link_like, split_anatomy, split_text_scrape
from transforms.furniture import date_line, greets_reader, item_headline, strip_list_mark, table_line

STORY = [
    "The harbour board voted on Monday to lengthen the north breakwater by sixty metres, "
    "a project it says will shelter the fishing fleet from winter swells.",
    "Work should begin in April and last two summers, and the slipway will stay open to "
    "small boats for most of that time.",
    "Skippers told the board they wanted the work done before the herring season, and the "
    "board said it would publish a timetable in February.",
]


@pytest.fixture(scope="module")
def catalogue():
    return Catalogue.load()


def _body(text, catalogue, **kw):
    out = split_anatomy(text, catalogue=catalogue, **kw)
    return [p for p in out["body"].split("\n\n") if p], out


def _scrape(lines, catalogue):
    """A scrape with no blank line anywhere (its first line is the title)."""
    out = split_text_scrape("\n".join(["Harbour board backs longer breakwater", *lines]), catalogue=catalogue)
    return [p for p in out["body"].split("\n\n") if p], out


def test_a_newsletter_read_as_a_page_gives_its_story_only(catalogue):
    top = ["Read this issue online",
           "From: The Quayside Brief <editors@quayside.example.net>",
           "Date: Mon, 3 Mar 2025 07:00:05 +0000",
           "Subject: ⚓ Breakwater, herring and a long winter",
           "THE QUAYSIDE BRIEF",
           "Hello again. It's Monday, and the wind has finally dropped.",
           "TIDES THIS WEEK",
           "Port | High | Low",
           "North Quay | 05:12 | 11:40",
           "Old Basin | 05:31 | 11:58",
           "Times as of Sunday evening. Figures delayed by the harbour office.",
           "TODAY'S STORY"]
    paras, out = _scrape(top + STORY, catalogue)
    assert paras == STORY
    assert "Subject: ⚓ Breakwater, herring and a long winter" in out["boilerplate"]
    assert "Times as of Sunday evening. Figures delayed by the harbour office." in out["boilerplate"]


def test_one_line_that_looks_like_a_mail_header_stays_in_the_story(catalogue):
    line = "Subject: the breakwater, the board said, would be discussed again in June."
    paras, _ = _body("\n\n".join([STORY[0], line, *STORY[1:]]), catalogue)
    assert line in paras


def test_a_sponsors_credit_line_takes_its_pitch_with_it(catalogue):
    pitch = "Still sorting receipts by hand? Tallyhouse does it for you. Try it free today."
    paras, out = _body("\n\n".join([*STORY[:2], "Brought to you by Tallyhouse", pitch, STORY[2]]), catalogue)
    assert paras == STORY and pitch in out["boilerplate"]


def test_a_bilingual_page_loses_its_paired_labels_stamp_and_links(catalogue):
    lines = ["Nouvelles / News",
             "Mis à jour le 4 mars 2025 à 9 h 40",
             "Note de la rédaction : cet article est aussi publié en anglais. / This story is also available in English.",
             STORY[0],
             "BULLETIN / NEWSLETTER",
             "Recevez nos nouvelles chaque semaine. / Get our news every week.",
             "Votre courriel / Your email",
             STORY[1],
             "À lire aussi / Also read",
             "→ Le traversier reprend du service / Ferry service resumes",
             "→ New lighthouse keeper named for the point",
             "Publicité / Advertisement",
             STORY[2]]
    paras, out = _scrape(lines, catalogue)
    assert paras == STORY
    assert "→ New lighthouse keeper named for the point" in out["boilerplate"]


def test_a_list_of_other_headlines_after_the_story_leaves_and_the_storys_own_list_stays(catalogue):
    story_list = ["Elsewhere on the coast on Monday:",
                  "- Portmarr reopened its fish market after the storm",
                  "- Kilbrae harbour closed its outer pier for repairs"]
    related = ["More Coastal News",
               "· Lifeboat crew honoured for night rescue",
               "· Ferry fares frozen for a second year",
               "Most popular",
               "1. Seal pup found on the promenade",
               "2. Who will run the old fish hall?",
               "3. Storm damage bill tops a million"]
    paras, out = _scrape([*STORY, *story_list, *related, "© 2025 Coast Weekly Ltd"], catalogue)
    assert paras == STORY + story_list
    assert "2. Who will run the old fish hall?" in out["boilerplate"]
    assert "· Ferry fares frozen for a second year" in out["boilerplate"]


def test_a_releases_amendment_stamp_and_numbered_notes_leave(catalogue):
    lines = ["Media release", "Revised 5 March 2025: a quote from the chair was added.", *STORY,
             "The board listed three conditions:",
             "1. the slipway stays open to small boats;",
             "2. the fish market keeps its Sunday hours;",
             "3. the works stop during the herring season.",
             "ENDS", "Notes for editors",
             "1. The harbour board was set up by an act of parliament in 1871.",
             "2. A map of the new breakwater can be requested from the press office.",
             "Press office: +44 1632 960 411"]
    paras, out = _scrape(lines, catalogue)
    assert paras == STORY + lines[5:9]
    assert "2. A map of the new breakwater can be requested from the press office." in out["boilerplate"]
    assert "Revised 5 March 2025: a quote from the chair was added." in out["boilerplate"]


def test_a_story_sentence_about_an_amendment_stays(catalogue):
    line = "The plan was amended on 3 March to keep the slipway open."
    paras, _ = _body("\n\n".join([STORY[0], line, *STORY[1:]]), catalogue)
    assert line in paras


def test_appeals_and_form_messages_inside_the_storys_block_leave(catalogue):
    """A scrape whose story shares one block with widgets (few blank lines): the story's
    block is still the story's, and the page talk after its last sentence goes."""
    text = "\n\n".join([
        "Harbour board backs longer breakwater",
        "Coast Weekly\nNews",
        "\n".join([STORY[0], "Watch: Skippers on the new breakwater", "02:10", STORY[1], STORY[2],
                   "Good reporting costs money. Back the Weekly to keep local news free to read.",
                   "Most read", "Lifeboat crew honoured for night rescue",
                   "Please choose at least one mailing list.",
                   "Comments not loading? Switch on JavaScript and reload the page."])])
    out = split_text_scrape(text, catalogue=catalogue)
    assert [p for p in out["body"].split("\n\n") if p] == STORY


@pytest.mark.parametrize("line", [
    "Editor's note: The Coast Weekly receives grants from a harbour trust, which has no say in our coverage.",
    "The Coast Weekly keeps full editorial independence from its funders.",
    "CC BY-NC-SA 4.0",
    "This article is licensed under a Creative Commons Attribution licence.",
    "Ines Marlow can be reached at ines@coastweekly.example.org.",
    "Ines Marlow is the Coast Weekly's harbour and fisheries reporter.",
    "View this newsletter in your browser",
    "Forward this email to a friend",
    "Amended 4 March 2025: the photo caption was corrected.",
])
def test_notes_about_the_page_at_its_end_leave(catalogue, line):
    paras, _ = _body("\n\n".join(STORY + [line]), catalogue)
    assert paras == STORY


@pytest.mark.parametrize("line", [
    "The trust receives funding from the county and from the fishing co-operative.",
    "Marlow said the skippers could be reached by radio at sea.",
    "The harbour master had no role in the decision, the board said.",
    "Good morning was all the skipper said before he cast off.",
])
def test_story_lines_close_to_those_notes_stay(catalogue, line):
    paras, _ = _body("\n\n".join([STORY[0], line, *STORY[1:]]), catalogue)
    assert line in paras


def test_a_table_of_cells_with_a_source_note_goes_whole(catalogue):
    table = ["BERTH FEES, SELECTED QUAYS", "Quay | 2024 | 2025", "North Quay | £1,200 | £1,350",
             "Old Basin | £980 | £1,100", "Source: Harbour board accounts. Figures rounded."]
    paras, out = _scrape([*STORY[:2], *table, STORY[2]], catalogue)
    assert paras == STORY and "Source: Harbour board accounts. Figures rounded." in out["boilerplate"]
    assert table_line("Old Basin | £980 | £1,100") and not table_line("Quay | 2024 trial | open")


def test_the_shapes_and_marks_behind_those_rules():
    assert strip_list_mark("→ Ferry fares frozen") == "Ferry fares frozen"
    assert strip_list_mark("02) Ferry fares frozen") == "Ferry fares frozen"
    assert strip_list_mark("▪ Ferry fares frozen") == "Ferry fares frozen"
    assert item_headline("3. Who will run the old fish hall?")
    assert not item_headline("- the works stop during the herring season.")
    assert link_like("» Le traversier reprend du service / Ferry service resumes")
    assert not link_like("The board voted on Monday to lengthen the north breakwater.")
    assert date_line("Publié le 4 mars 2025 à 9 h 40")
    assert date_line("Veröffentlicht am 4. März 2025, 09:40 Uhr")
    assert not date_line("Le 4 mars, la ville vote 12 projets")
    assert date_line("Publiceret 4.3.2025 kl. 09.40 · Opdateret 5.3.2025 kl. 11.02")
    assert date_line("Mardi 4 mars 2025 | Tuesday, 4 March 2025")      # one stamp in two languages
    assert not date_line("9.30 a.m. / 7 p.m.") and not date_line("2025 - 2026")
    assert date_line("Publicado: 04/03/25 – 16:05 · Actualizado hace 3 h")      # stamps in a row
    assert date_line("Asunción, martes 4 de marzo de 2025")                      # a masthead's place and date
    assert date_line("Released: Tuesday, 4 March 2025 – 10:30 a.m. CST")
    assert not date_line("Nairobi, 3 stalls") and not date_line("Posted by Jane · 3 min read")
    assert greets_reader("Good evening, and welcome to the Friday edition.")
    assert not greets_reader("Goodbye to the old pier, said the mayor.")


def test_a_market_box_of_spaced_columns_and_a_caps_kicker_leave_before_the_story(catalogue):
    top = ["Hi all, and happy Thursday.",
           "WHAT THE MARKETS DID",
           "Brent crude ($/bbl)  81.40  -0.6%",
           "Herring (€/kg)  2.15  +3.1%",
           "Prices at Wednesday's close; quotes delayed.",
           "THE STORY WE ARE WATCHING"]
    paras, _ = _scrape(top + STORY, catalogue)
    assert paras == STORY


def test_notes_under_a_heading_with_a_colon_and_zero_padded_headlines_leave(catalogue):
    tail = ["Notes to Editors:",
            "1. The board meets in public on the first Monday of each month.",
            "2. Maps are available from the press office.",
            "Trending now",
            "01 Seal pup rescued at the slipway",
            "02 Ferry timetable changes from April"]
    paras, out = _scrape([*STORY, *tail], catalogue)
    assert paras == STORY and "02 Ferry timetable changes from April" in out["boilerplate"]


@pytest.mark.parametrize("line", [
    "This reporting is made possible in part by a grant from a coastal trust.",
    "Republished under a CC BY 4.0 licence.",
])
def test_funding_and_licence_lines_in_other_words_leave(catalogue, line):
    paras, _ = _body("\n\n".join(STORY + [line]), catalogue)
    assert paras == STORY


def test_a_story_sentence_about_who_pays_for_the_works_stays(catalogue):
    line = "The work is funded by £2 million from the transport fund and £300,000 from the board."
    paras, _ = _body("\n\n".join([STORY[0], line, *STORY[1:]]), catalogue)
    assert line in paras


def test_a_comment_thread_under_the_story_leaves_with_its_commenter_and_button(catalogue):
    thread = ["Readers' comments", "Tomas Ringgaard says:", "About time. The old wall was falling apart.",
              "Reply", "Comments are moderated before they appear."]
    paras, out = _scrape([*STORY, *thread], catalogue)
    assert paras == STORY and "About time. The old wall was falling apart." in out["boilerplate"]


def test_a_pitch_above_a_donate_button_leaves_even_inside_the_story(catalogue):
    pitch = "The Coast Weekly depends on readers. Back independent coastal journalism."
    paras, out = _body("\n\n".join([STORY[0], pitch, "Donate now", *STORY[1:]]), catalogue, scrape=False)
    assert paras == STORY and pitch in out["boilerplate"]
    line = "Skippers said they would back the plan if the slipway stayed open."
    paras, _ = _body("\n\n".join([STORY[0], line, "Advertisement", *STORY[1:]]), catalogue, scrape=False)
    assert line in paras


def test_summary_points_over_an_extracted_story_leave_and_a_list_the_story_introduces_stays(catalogue):
    title = "Harbour board backs longer breakwater"
    points = ["- Breakwater to grow by sixty metres", "- Work to start in April and last two summers"]
    paras, out = _body("\n\n".join([title, *points, *STORY]), catalogue, title=title, scrape=False)
    assert paras == STORY and points[0] in out["boilerplate"]
    scorers = ["Scorers:", "Harbour Rovers: Tries – Marlow 2, Berg; Con – Kerr.", "Ørby United: Try – Lund; Pen – Lund."]
    paras, _ = _scrape([*STORY, *scorers, "(Reporting by Ines Marlow; Editing by Ola Berg)"], catalogue)
    assert paras == STORY + scorers


@pytest.mark.parametrize("line", [
    "-- Advertisement --",
    "[ Advertisement ]",
    "Also in Harbour News",
    "Why you can trust the Coast Weekly",
    "Regional Democracy Reporting is public interest journalism funded through a national fund.",
    "Share this story: it may be republished free by partner newsrooms if the byline is kept.",
    "The Coast Weekly is published by Coastline Media Ltd. © 2026.",
    "+ Follow   ☆ Add HRBR to watchlist",
    "Published: 6:40am, 3 Mar 2025 · Updated: 8:05pm, 3 Mar 2025",
])
def test_more_page_lines_of_unseen_styles_leave(catalogue, line):
    paras, _ = _body("\n\n".join([*STORY[:2], line, STORY[2]]), catalogue)
    assert paras == STORY


def test_captions_with_short_or_bracketed_credits_leave_the_body(catalogue):
    out = split_text_scrape("Harbour board backs longer breakwater\n\n"
                            "Storm damage on the north breakwater after the January gales. (pic by Ola Berg)\n\n"
                            "Fishing boats tied up inside the old basin [Coast Weekly Archive]\n\n"
                            "The north breakwater at low tide.\nPIC: Ola Berg / Coast Weekly\n\n"
                            + "\n\n".join(STORY), catalogue=catalogue)
    assert [p for p in out["body"].split("\n\n") if p] == STORY
    assert {"text": "The north breakwater at low tide.", "credit": "Ola Berg / Coast Weekly"} in out["captions"]


def test_an_about_section_at_the_end_of_a_release_leaves_with_its_wrapped_lines(catalogue):
    tail = ["ABOUT THE HARBOUR BOARD",
            "The harbour board is a statutory body that runs the port and its",
            "breakwaters, founded by an act of parliament in 1871",
            "MEDIA CONTACT", "Ola Berg, Press Officer", "+44 1632 960 411  |  press@harbourboard.example.org", "###"]
    paras, out = _scrape([*STORY, *tail], catalogue)
    assert paras == STORY and "breakwaters, founded by an act of parliament in 1871" in out["boilerplate"]


def test_a_pointer_to_the_other_language_version_leaves(catalogue):
    line = "English version: see page 3 / Version anglaise : voir page 3"
    paras, _ = _body("\n\n".join([line, *STORY]), catalogue)
    assert paras == STORY


def test_a_subheading_and_its_bullets_ending_the_story_stay(catalogue):
    tail = ["What happens next", "- The board votes on the final design on 3 March",
            "- Skippers can comment on the plans until the end of February"]
    paras, _ = _scrape([*STORY, *tail, "© 2025 Coast Weekly Ltd"], catalogue)
    assert paras == STORY + tail


def test_a_name_says_line_over_a_quotation_in_the_story_stays(catalogue):
    lines = ["Ola Berg says:", "\"We have waited thirty years for this wall, and we will wait one more winter.\""]
    paras, _ = _scrape([*STORY[:2], *lines, STORY[2]], catalogue)
    assert paras == STORY[:2] + lines + STORY[2:]


def test_numbered_items_after_a_link_line_continue_the_story_list(catalogue):
    items = ["1) Brass harbour lantern (restored)", "2) Tide table poster, 1962 edition",
             "3) Herring barrel stool (oak)", "4) Model of the old pilot boat (1:50)"]
    text = "\n\n".join([*STORY, items[0], "http://shop.example.com/a1", items[1],
                        "http://shop.example.com/a2", items[2], items[3], "http://shop.example.com/a3"])
    paras, _ = _body(text, catalogue, scrape=False)
    assert paras == STORY + items


def test_a_subheading_under_a_read_also_label_whose_links_the_extractor_dropped_stays(catalogue):
    """An HTML page: "Read also" stood over links the extractor left out; the next line is
    a subheading of the story (a long paragraph under it, no link of the page)."""
    text = "\n\n".join([*STORY[:2], "Lee también / Read also", "Skippers object", STORY[2]])
    paras, _ = _body(text, catalogue, scrape=False, links=["Ferry fares rise on six routes"])
    assert paras == [*STORY[:2], "Skippers object", STORY[2]]

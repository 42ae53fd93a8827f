"""Kinds of page furniture on publishers nobody wrote rules for (issue 12): each test
phrases a kind its own way, and the story lines next to it, however short or close in
wording, stay in the body."""
import pytest

from transforms.anatomy import Catalogue, split_anatomy, split_text_scrape
from transforms.furniture import evidence, table_line

STORY = [
    "The valley water board agreed on Thursday to raise the height of the Kestrel Dam by four metres, "
    "a project it says will keep the town supplied through longer dry summers.",
    "Work is due to start next spring and to last about three years, during which the reservoir "
    "will be kept below its usual level.",
    "Farmers downstream asked the board to guarantee the flow of the river during the works, "
    "and the board said it would publish a release schedule in January.",
]


@pytest.fixture(scope="module")
def catalogue():
    return Catalogue.load()


def _body(text, catalogue, **kw):
    out = split_anatomy(text, catalogue=catalogue, **kw)
    return [p for p in out["body"].split("\n\n") if p], out


def _with(*furniture, at=1):
    paras = list(STORY)
    paras[at:at] = list(furniture)
    return "\n\n".join(paras)


@pytest.mark.parametrize("line", [
    "Medically reviewed by Dr. Ines Marlow, MD, FRCP",
    "Fact-checked by Tomas Ringgaard",
    "Clinically reviewed by: Prof. Ada Kerr",
    "The Dale Courier may earn a commission when you buy through links on this page.",
    "Rooms from €95 at Lakeview Hotels",
    "Buy from $24.99 on Shopright",
    "Join the Valley Post Telegram channel for breaking alerts: tap to follow.",
    "Valley Post on WhatsApp — stay updated with the latest news. Click here to join the channel.",
    "38 comments",
    "Comments (12)",
    "Estimated reading time: 6 minutes",
    "5 min listen",
    "This story is available to subscribers only. Sign in to continue.",
    "You've reached your limit of free articles this month.",
    "View this post on Instagram",
    "A video shared by Kestrel Rowing Club (@kestrelrowing)",
    "We use cookies to improve your experience on our site. Manage preferences",
    "1,204 votes",
    "Home > Regions > Valley",
    "Print | Email | Font size",
    "Download the Valley Post app for alerts on your phone.",
    "Journal reference: Marlow I., Kerr A. 'Silt in upland reservoirs.' Water Letters 9 (2024).",
    "This report is part of the Valley Post Water service. Want full access? Start a free trial.",
    "Share this:",
    "Like Loading…",
    "Support independent journalism. Become a supporter of the Valley Post for $3 a month.",
    "A version of this article appeared in the Sunday print edition of the Valley Post.",
    "Marlow, I. & Kerr, A. Silt in upland reservoirs. Water Letters (2024).",
    "Kerr, A. et al. Sediment after the floods. Hydrol. Notes (2023). doi:10.5555/hn.2023.77",
    "Update, 9:40 a.m.: Added details from the water board.",
    "Leggi anche / Read also",
    "Editor's note: This report is part of Dry Valleys, a series funded by a grant from a water trust.",
    "The Valley Post may receive a share of ticket sales from these links.",
    # round 4: players, appeals, follow lines, release labels, comment prompts, consent,
    # summary boxes, share labels in other languages, date lines of other labels and calendars
    "Autoplay: Off",
    "▶ 03:27",
    "Hear this article ▸ 6 min",
    "Listen live",
    "Watch the full interview with the dam engineer below:",
    "Support for Valley Radio comes from listeners like you. Donate today.",
    "Our reporting is made possible by readers like you.",
    "Get our headlines first — join our channel on Telegram.",
    "Follow the Valley Post on WhatsApp for breaking news and alerts.",
    "News release",
    "For immediate release",
    "Added 4th March 2025 10:15 AM",
    "Release date: 03/04/2025",
    "Magh 12, 2081",
    "Lihat juga: Jembatan baru dibuka di hulu",
    "Got a story idea? Email newsdesk@valleypost.example.org",
    "Be the first to comment on this article.",
    "Join the discussion: sign in to comment.",
    "Kommentare (4)",
    "In summary",
    "We respect your privacy. Manage cookies",
    "Akzeptieren   Ablehnen   Einstellungen",
    "Load content",
    "This video is hosted by a third-party provider and is blocked. Enable cookies to watch it.",
    "Partager cet article :",
    "Condividi questo articolo",
    "This ad has not loaded yet, but the story continues below.",
    "Overview   Squads   Fixtures   Results",
    "Reviews / Travel / Lisbon",
    "MVP: Jana Kowalski-Reyes",
    "Harbour Rovers 3 - 1 Ørby United",
    "Note: This court list is compiled from public records. A charge is not a conviction.",
    "We are an independent newsroom in exile. Our journalists cannot work at home, and we depend on readers.",
    "Some names in this story have been shortened for the safety of relatives.",
    "This live page has ended.",
    "News content on this site may not be reproduced without permission.",
    "This digest is supported by readers and by a grant from a media fund. Our sponsors have no say.",
    "Forward this digest to a friend →",
    "Obrigadu barak! See you next Friday.",
    "— The Valley Week team",
    "Got a notice? Email notices@valley.example before 3pm Wednesday for the Thursday update.",
    "Eso (thank you) for reading. This noticeboard is run by volunteers.",
    "Läs på svenska: Dammen byggs högre →",
    "Versiunea în limba română / Romanian version",
    "Official partners / الشركاء الرسميون",
    "The Free Campus is an independent newspaper written by students. It receives no university money.",
    "About the Valley Destination Board: The board is a partnership of tourism businesses in the valley.",
    "The Docket reports on proceedings in open court. Summaries are not legal advice.",
    "The Water Brief — dams, rivers and rain, every Tuesday and Friday. Sign up free.",
    "Valley Pro subscribers can download the board's data sheet. Upgrade to Pro.",
    "PUBLICIDAD",
    "— L.B.A.",
])
def test_a_furniture_line_of_an_unseen_house_style_leaves_the_body(catalogue, line):
    paras, _ = _body(_with(line), catalogue)
    assert paras == STORY


@pytest.mark.parametrize("line", [
    "It did not.",
    "Sources said the vote was close.",
    "About 200 people came to the meeting.",
    "Reviewed by the council in 2019, the plan was shelved for lack of money.",
    "The farmers' union said members could join the board's consultation group on WhatsApp.",
    "Prices rose to $4 at some markets, the board said.",
    "\"We will not sign up to a plan that dries out our fields,\" said one farmer.",
    "The board will read more of the objections at its next meeting.",
    "- The dam will be raised by four metres.",
    "Support for the plan grew after the floods, and residents made a donation to the fund.",
    "Marlow said the update: added pumps would keep the fields wet.",
    "The study, by Kerr, A. and colleagues, appeared in 2024.",
    "A version of the plan was shown to farmers in May.",
    "The board will release the full survey in March.",
    "Share prices at the water company fell 4% on Monday.",
    "Residents can follow the works on the council's website.",
    "Comments from the public will be accepted until June 2.",
    "The details of the plan will be published next month.",
    "Listeners to the local station heard the news first.",
    "The trust said its summary of the survey was due in May.",
    "Farmers who watch the river every day say it has never been this low.",
    "The pumps were back on by 4:30, the board said.",
    "\"We depend on readers of the meter for the figures,\" the engineer said.",
    "The Valley Times is an independent newspaper that has covered the dam since 1952, the court heard.",
    "About 40 farmers: that is how many signed the letter to the board.",
    "Residents who want the plan changed should register. The board meets in May.",
    "See you in court, the farmers told the board.",
])
def test_a_story_line_close_in_wording_stays(catalogue, line):
    paras, _ = _body(_with(line), catalogue)
    assert line in paras


def test_a_section_heading_at_the_end_takes_its_lines_with_it(catalogue):
    text = "\n\n".join(STORY + [
        "References\nValley Water Board, annual supply statement 2024.\nRegional climate office, rainfall bulletin.",
        "About the Valley Water Board\nThe board supplies drinking water to 40,000 homes in the upper valley.",
    ])
    paras, out = _body(text, catalogue)
    assert paras == STORY
    assert "Regional climate office, rainfall bulletin." in out["boilerplate"]


def test_a_tables_title_and_source_note_go_with_the_table(catalogue):
    table = ("Reservoir levels, % of capacity\n\n|---|---|---|\n\n"
             "Source: Valley Water Board weekly readings. Figures are provisional.")
    paras, out = _body(_with(table, at=2), catalogue)
    assert paras == STORY
    assert "Source: Valley Water Board weekly readings. Figures are provisional." in out["boilerplate"]


def test_rows_of_figures_are_table_lines_and_sentences_are_not():
    assert table_line("Upper Kestrel 81.2 79.5 +2.1%")
    assert table_line("| Dam | Level | Change |")
    assert not table_line("The level rose to 81.2% from 79.5% last week.")


def test_a_mixed_case_colon_dateline_and_a_dated_caps_dateline(catalogue):
    _, out = _body("Nairobi: " + STORY[0] + "\n\n" + "\n\n".join(STORY[1:]), catalogue)
    assert out["dateline"] == "Nairobi" and out["body"].startswith("The valley water board")
    _, out = _body("KESTREL, 4 March 2025 — " + STORY[0] + "\n\n" + "\n\n".join(STORY[1:]), catalogue)
    assert out["dateline"] == "KESTREL"
    _, out = _body("Update: " + STORY[0] + "\n\n" + "\n\n".join(STORY[1:]), catalogue)
    assert out["dateline"] is None


def test_a_caption_with_a_marked_credit_below_is_split_off(catalogue):
    scrape = ("Kestrel Dam to be raised by four metres\n\n"
              "Ines Marlow, Tomas Ringgaard, Ada Kerr\nPhoto by: Valley Pictures / Ola Berg\n\n"
              "The spillway of the Kestrel Dam after the spring rains.\n(Credit: Ola Berg/Valley Post)\n\n"
              + "\n\n".join(STORY))
    out = split_text_scrape(scrape, catalogue=catalogue)
    assert [p for p in out["body"].split("\n\n") if p] == STORY
    assert {"text": "The spillway of the Kestrel Dam after the spring rains.",
            "credit": "Ola Berg/Valley Post"} in out["captions"]
    assert {"text": "Ines Marlow, Tomas Ringgaard, Ada Kerr", "credit": "Valley Pictures / Ola Berg"} \
        in out["captions"]


def test_page_talk_phrases_are_evidence_and_story_talk_is_not():
    assert evidence("Stay connected: follow us for the latest updates.") >= 3
    assert evidence("The board said it would stay in contact with farmers.") == 0


def test_a_colon_after_a_name_that_is_no_place_is_not_a_dateline(catalogue):
    _, out = _body("Kestrel Dam: " + STORY[0] + "\n\n" + "\n\n".join(STORY[1:]), catalogue)
    assert out["dateline"] is None and out["body"].startswith("Kestrel Dam: ")


def test_a_subheading_shaped_like_an_end_section_keeps_its_paragraph(catalogue):
    """In a scrape with no blank lines between a subheading and its paragraph, an
    "About ..." heading followed by more of the story is the story's own."""
    text = "\n\n".join([STORY[0], "About the Kestrel Dam\n" + STORY[1], STORY[2]])
    paras, _ = _body(text, catalogue)
    assert STORY[1] in "\n".join(paras) and "About the Kestrel Dam" in "\n".join(paras)


def test_wire_footers_translation_notes_and_a_bio_at_the_end_leave_the_body(catalogue):
    tail = ["This interview was first written in Basque and translated for this edition.",
            "Extra reporting from Bilbao and Vigo by Jon Etxeberria.",
            "Our staff writer Ines Marlow covers water and farming from Kestrel.",
            "Ines Marlow is the valley correspondent of the Valley Post.",
            "Join our Telegram: t.me/valleypost for more stories like this.",
            "12 Comments"]
    paras, _ = _body("\n\n".join(STORY + tail), catalogue)
    assert paras == STORY


def test_a_story_sentence_about_a_report_is_not_a_note_about_the_article(catalogue):
    line = "This report was commissioned by the regional council and published in June."
    paras, _ = _body(_with(line), catalogue)
    assert line in paras


def test_widgets_of_a_scrape_leave_the_story_alone(catalogue):
    scrape = "\n\n".join([
        "Kestrel Dam to be raised", "Home › News › Valley\nBy Ines Marlow", STORY[0],
        "Kestrel 14°C\nLight rain", STORY[1],
        "Poll: Should the dam be raised?\nYes 64%\nNo 36%\n1,204 votes", "It did not.", STORY[2],
        "Most read\nFerry fares to rise in April\nValley school wins robotics prize",
        "We value your privacy. We and our partners use cookies to personalise content.\nAccept all\nReject all",
        "Schlagwörter: Wasser, Talsperre\nEtiquetas: agua, presa"])
    out = split_text_scrape(scrape, catalogue=catalogue)
    assert [p for p in out["body"].split("\n\n") if p] == [STORY[0], STORY[1], "It did not.", STORY[2]]


def test_an_author_box_taken_as_the_author_gives_the_name_only():
    from transforms.extract import clean_authors
    assert clean_authors(["Ines Marlow writes about water for the Valley Post", "Farming"]) == ["Ines Marlow"]
    assert clean_authors(["Ines Marlow is a reporter at the Valley Post. She owns no shares"]) == ["Ines Marlow"]
    assert clean_authors(["Ines Marlow", "Tomas Ringgaard"]) == ["Ines Marlow", "Tomas Ringgaard"]


def test_a_credit_loses_the_marker_it_was_written_with(catalogue):
    out = split_text_scrape("Kestrel Dam to be raised\n\nThe spillway after the spring rains at Kestrel.  Photo / Valley Water Board\n\n"
                            + "\n\n".join(STORY), catalogue=catalogue)
    assert out["captions"] == [{"text": "The spillway after the spring rains at Kestrel.", "credit": "Valley Water Board"}]
    from transforms.anatomy import clean_credit
    assert clean_credit("AP Photo/Ola Berg") == "AP Photo/Ola Berg"
    assert clean_credit("Photo by: Ola Berg") == "Ola Berg"


def test_a_sign_off_with_an_email_at_the_end_leaves_the_body(catalogue):
    line = "— Ines Marlow, Water Reporter. Tips? ines@valleypost.example.org"
    paras, out = _body(_with(line, at=len(STORY)), catalogue)
    assert paras == STORY and line in out["boilerplate"]


def test_a_players_intro_duration_and_clip_title_leave_the_body(catalogue):
    player = "Watch the latest episode of Valley Talk below:\n\n▶ 14:05\n\nVALLEY TALK: Who pays for the dam?"
    paras, out = _body(_with(player, at=2), catalogue)
    assert paras == STORY and "VALLEY TALK: Who pays for the dam?" in out["boilerplate"]
    paras, _ = _body(_with("Now playing\n\nWhy reservoirs are getting shallower\n\n02:48\n\nUp next\n\n"
                           "Inside the valley's oldest pumping station\n\nAutoplay: On", at=2), catalogue, scrape=False)
    assert paras == STORY


def test_a_sponsors_pitch_goes_with_its_label_and_a_story_line_after_an_ad_marker_stays(catalogue):
    pitch = "Cut your heating bill by a third. See how your home compares."
    paras, out = _body(_with("Promoted", pitch, at=2), catalogue)
    assert paras == STORY and pitch in out["boilerplate"]
    line = "If you drive on the valley road, expect delays until May."
    paras, _ = _body(_with("ADVERTISEMENT", line, at=2), catalogue)
    assert line in paras


def test_a_contact_block_and_the_labels_above_the_headline_leave_an_extracted_body(catalogue):
    title = "Valley board to raise the Kestrel Dam"
    text = "\n\n".join(["Valley News", "Media release", title, *STORY, "Media contact",
                         "Ola Berg, Communications Officer", "+44 20 7946 0321 | press@valleywater.example.org"])
    paras, out = _body(text, catalogue, title=title, scrape=False)
    assert paras == STORY and "Ola Berg, Communications Officer" in out["boilerplate"]


def test_an_info_box_at_the_end_leaves_the_body_and_a_label_before_the_story_does_not(catalogue):
    box = ["The essentials", "Kestrel Dam Visitor Centre, Dam Road 2, Kestrel",
           "Open daily 9am–5pm. Free entry.", "Parking: €4"]
    paras, out = _body("\n\n".join(STORY + box), catalogue, scrape=False)
    assert paras == STORY and "Parking: €4" in out["boilerplate"]
    paras, _ = _body("\n\n".join([STORY[0], "Details", "Kestrel Dam, Dam Road 2", *STORY[1:]]), catalogue,
                     scrape=False)
    assert "Kestrel Dam, Dam Road 2" in paras


def test_a_table_with_a_note_under_it_leaves_and_a_table_the_story_introduces_stays(catalogue):
    table = ["| Reservoir levels |  |", "| Reservoir | Level |", "|---|---|", "| Upper Kestrel | 81% |",
             "| Lower Kestrel | 64% |", "Level data: weekly readings, provisional."]
    paras, out = _body("\n\n".join(STORY[:2] + table + STORY[2:]), catalogue, scrape=False)
    assert paras == STORY and "| Lower Kestrel | 64% |" in out["boilerplate"]
    intro = "The board gave these readings for the two reservoirs:"
    rows = ["| Upper Kestrel | 81% |", "| Lower Kestrel | 64% |"]
    paras, _ = _body("\n\n".join(STORY[:2] + [intro, *rows, "Source: the board."] + STORY[2:]), catalogue,
                     scrape=False)
    assert intro in paras and rows[0] in paras


def test_a_copyright_marked_or_foreign_credit_under_a_caption_is_its_credit(catalogue):
    for credit_line, credit in [("© Valley Pictures / Ola Berg", "Valley Pictures / Ola Berg"),
                                ("Foto: Valley Post / Ola Berg", "Valley Post / Ola Berg")]:
        out = split_text_scrape("Kestrel Dam to be raised\n\nThe spillway of the Kestrel Dam at dawn after the storm.\n"
                                + credit_line + "\n\n" + "\n\n".join(STORY), catalogue=catalogue)
        assert out["captions"] == [{"text": "The spillway of the Kestrel Dam at dawn after the storm.",
                                    "credit": credit}]
    out = split_text_scrape("Kestrel Dam to be raised\n\nThe spillway of the Kestrel Dam on Feb. 5. (Ola Berg)\n\n"
                            + "\n\n".join(STORY), catalogue=catalogue)
    assert out["captions"] == [{"text": "The spillway of the Kestrel Dam on Feb. 5.", "credit": "Ola Berg"}]
    split = catalogue.split_credit("Boats leave the upper jetty at dawn. | Photo Credit: OLA BERG")
    assert split == ("Boats leave the upper jetty at dawn.", "OLA BERG")
    split = catalogue.split_credit("Boats leave the upper jetty at dawn. Valley Post Photo: Ola Berg")
    assert split == ("Boats leave the upper jetty at dawn.", "Ola Berg")


def test_a_police_appeal_with_a_phone_number_at_the_end_stays(catalogue):
    appeal = "If you saw the crash, call the valley police on 0800 555 0142."
    paras, _ = _body(_with(appeal, at=len(STORY)), catalogue)
    assert paras == STORY + [appeal]


@pytest.mark.parametrize("line", [
    "Was this sent on by a friend? Sign up here and it arrives every Friday.",
    "Hit reply to tell the editors what we missed.",
    "Please pick at least one mailing list.",
    "Trouble loading the comments? Switch on JavaScript in your browser.",
    "Republish our stories free of charge under a Creative Commons licence.",
    "Your details are handled under our data protection policy.",
    "Please enjoy responsibly. Readers must be of legal drinking age.",
    "The Valley Echo is funded by readers. Give today.",
    "For more valley news, follow the Echo on TikTok and Instagram.",
])
def test_an_instruction_or_note_to_the_reader_after_the_story_leaves_the_body(catalogue, line):
    paras, _ = _body(_with(line, at=len(STORY)), catalogue)
    assert paras == STORY


@pytest.mark.parametrize("line", [
    "Residents can follow the works on the council's website.",
    "Farmers said they would give the board until March to publish the schedule.",
    "Visitors to the dam are asked to keep to the marked paths, the board said.",
    "Support for the project is strongest in the town, a survey found.",
    "Try as they might, the engineers could not find the leak before dark.",
])
def test_a_story_line_that_opens_with_a_reader_verb_stays_at_the_end(catalogue, line):
    paras, _ = _body(_with(line, at=len(STORY)), catalogue)
    assert line in paras


@pytest.mark.parametrize("where", [0, 2])
def test_a_caption_and_its_marked_credit_apart_are_a_caption(catalogue, where):
    """A blank line between a short caption and its "Photo:" line (text scrapes with
    every line a paragraph): still a caption with its credit, over the story or in it."""
    cap, credit = "The spillway of the Kestrel Dam after the spring rain.", "Photo: Valley Courier file"
    paras = list(STORY)
    paras[where:where] = [cap, credit]
    body, out = _body("\n\n".join(paras), catalogue)
    assert body == STORY
    assert out["captions"] == [{"text": cap, "credit": "Valley Courier file"}]


def test_a_story_paragraph_over_a_bracketed_photo_credit_stays(catalogue):
    """A paragraph of the story, then "(Photo: X)" for a picture with no caption: the
    paragraph is the story's, the credit stands alone."""
    long_line = ("The new spillway gates will open automatically when the reservoir rises above "
                 "its winter level, and engineers will be able to close them from the control room in town.")
    body, out = _body("\n\n".join([*STORY[:2], long_line, "(Photo: Valley Water Board)", STORY[2]]), catalogue)
    assert body == [*STORY[:2], long_line, STORY[2]]
    assert out["captions"] == [] and out["credits"] == ["Valley Water Board"]


def test_an_editors_note_in_the_story_leaves(catalogue):
    note = "Editor’s note: The Valley Courier asked the dam's builder for comment and received no reply."
    body, out = _body("\n\n".join([*STORY[:2], note, STORY[2]]), catalogue)
    assert body == STORY and note in out["boilerplate"]


def test_a_release_tail_and_a_newsletters_boxes_leave(catalogue):
    """Usage terms, a keyword list, a page-review stamp, a list of other headlines under
    "QUICK HITS", a table of text cells set by pipes with its source note, and an
    editor's note in brackets."""
    tail = ["(Editor’s note: The Valley Courier's owner sits on the water board.)", "QUICK HITS",
            "* Ferry timetable changes from Monday on the island route",
            "* Council opens a new car park by the station",
            "DAMS THIS YEAR", "Dam | Region | Stage | Cost", "Kestrel | North | Design | $4m",
            "Heron | South | Build | $12m", "Source: board papers, Courier reporting. Costs in dollars.",
            "Usage Restrictions: Image may be used only with this news release.",
            "Keywords: /Earth sciences/Hydrology /Engineering/Dams", "Page last reviewed: 28/10/2025"]
    paras, out = _body("\n".join([*STORY, *tail]), catalogue)
    assert paras == STORY
    assert all(t in out["boilerplate"] for t in tail)


def test_a_readers_comment_with_its_date_stamp_leaves(catalogue):
    comment = ["1 thought on “Valley board backs taller dam”", "Ola Berg says:", "March 3, 2025 at 9:12 pm",
               "About time. My grandfather fished that river.", "Reply", "Leave a Reply"]
    paras, out = _body("\n".join([*STORY, *comment]), catalogue)
    assert paras == STORY


def test_an_ads_brand_line_and_a_comment_policy_leave(catalogue):
    ad = ["ADVERTISEMENT", "Kestrel Honey Co. – raw valley honey, now at the Saturday market."]
    policy = "Fakatokanga / Notice: Comments in English or Gullish are welcome. Abusive comments will be removed."
    paras, out = _body("\n".join([*STORY[:2], *ad, STORY[2], policy]), catalogue)
    assert paras == STORY
    assert ad[1] in out["boilerplate"] and policy in out["boilerplate"]


def test_a_story_line_after_an_ad_marker_stays(catalogue):
    paras, _ = _body("\n".join([*STORY[:2], "ADVERTISEMENT", STORY[2]]), catalogue)
    assert paras == STORY


def test_a_weekday_after_the_datelines_place_is_no_region(catalogue):
    out = split_anatomy("KITWE, Monday -- " + STORY[0] + "\n\n" + STORY[1], catalogue=catalogue)
    assert out["dateline"] == "KITWE" and out["body"].startswith("The valley water board")


def test_a_citation_in_square_brackets_stays(catalogue):
    cite = "[Valley Records, vol. 2, p. 41]"
    paras, _ = _body("\n".join([*STORY, cite]), catalogue, scrape=False)
    assert cite in paras


def test_a_section_word_between_two_story_paragraphs_is_a_subheading(catalogue):
    paras, _ = _body("\n".join([STORY[0], "Markets", STORY[1], STORY[2]]), catalogue, scrape=False)
    assert paras == [STORY[0], "Markets", STORY[1], STORY[2]]
    paras, _ = _body("\n".join(["Markets", *STORY]), catalogue)
    assert paras == STORY


# house notices of many kinds, each between two paragraphs of the story
NOTICES = [
    "UPDATED STORY: this version includes comments from the valley water board.",
    "Become a Valley Courier member from 99 UAH a month.",
    "PROMOTED CONTENT FROM OUR PARTNER",
    "Did you know? You can report a burst main by texting LEAK to 85000.",
    "— The Courier is delivered free to every household in the valley. —",
    "Copy deadline for the February issue: 10 January. Please send items to the Editor.",
    "The views expressed in The Valley Courier are not necessarily those of the parish councils.",
    "VALLEY WORD OF THE WEEK: afon — river",
    "The Courier is free. Pick up a copy at the post office or the pharmacy.",
    "[Exchange rate: USD 1 = MZN 63.90 — central bank reference rate]",
    "This bulletin is distributed to subscribers only and may not be forwarded.",
    "To unsubscribe, reply STOP.",
    "NOTE TO DESKS: The engineer's age confirmed from the board papers.",
    "ADDS QUOTE FROM WATER BOARD",
    "PIC CAPTION:",
    "Copy supplied for publication by subscribing titles only. Not for broadcast.",
    "▶ Watch the board meeting (2:14:06)",
    "Subtitles: EN",
    "This text was translated from Welsh.",
    "Comments are the responsibility of their authors.",
    "Full or partial use of materials is allowed only with a hyperlink to the source.",
    "📩 The Morning Courier",
    "Questions about your water bill? Contact the customer desk on 0800 000 000.",
    "Not yet a member? Join the union today — dues from GH¢ 15 a month.",
    "Our news bulletins are supported by a rural development fund. Content is decided by the newsroom alone.",
    "What do you think of the new fares? Text your views to 076 000 000.",
    "You must be logged in to post a comment.",
    "SPONSORED · Webinar: Pricing basis risk — 12 November, 14:00 GMT. Register free.",
    "Signed:",
    "Русская версия новости / Russian version of this news",
    "Any use of Courier materials is allowed only with a hyperlink to the source.",
    "Prayer intention for the week: for all who work at sea.",
]


@pytest.mark.parametrize("line", NOTICES)
def test_house_notices_of_many_kinds_leave(catalogue, line):
    paras, out = _body("\n".join([*STORY[:2], line, STORY[2]]), catalogue)
    assert paras == STORY and line in out["boilerplate"]


def test_a_signature_block_and_a_bulletins_sponsor_note_leave(catalogue):
    """A statement signed under "Signed:" (name, role, organisation), and a note that the
    bulletin is printed with a sponsor's support; a story line naming a funder stays."""
    funded = "The works are funded by the regional water fund and the town council."
    tail = ["This bulletin is printed and distributed with the support of Kestrel Tools Ltd. "
            "— pumps and pipes at member prices.",
            "Signed:", "Ines Marlow-Okafor", "General Secretary, Valley Water Workers' Union"]
    paras, out = _body("\n\n".join([*STORY, funded, *tail]), catalogue)
    assert paras == [*STORY, funded]
    assert all(t in out["boilerplate"] for t in tail) and out["authors"] == []


def test_a_bulletins_issue_line_edition_masthead_and_greeting_sit_above_its_headline(catalogue):
    head = "Water board backs a taller Kestrel Dam"
    scrape = "\n".join([
        "Boletín del Valle | Valley Bulletin No. 48",
        "Cooperativa del Valle — Edición en inglés / English edition",
        "Fecha / Date: jueves 6 de marzo de 2025", "Ver en el navegador / View in browser", "-" * 40, "",
        "Dear members and partners,",
        "this week we bring you the board's decision on the dam, prices at the",
        "warehouse and news from our technical team. Happy reading!", "", "-" * 40, "",
        head, "Written by Ana Ruiz-Pastrana, Communications Coordinator", "", *STORY])
    out = split_text_scrape(scrape, catalogue=catalogue)
    assert out["title"] == head and out["authors"] == ["Ana Ruiz-Pastrana"]
    assert [p for p in out["body"].split("\n\n") if p] == STORY


@pytest.mark.parametrize("credit,name", [
    ("Photo courtesy Diocesan Communications Office", "Diocesan Communications Office"),
    ("Ledger photo: Devon Singh-Ramlall", "Devon Singh-Ramlall"),
])
def test_a_caption_in_the_flow_with_a_courtesy_or_outlet_photo_credit_is_split_off(catalogue, credit, name):
    caption = "Scaffolding along the north wall of the Kestrel Dam on Thursday."
    paras, out = _body("\n".join([*STORY[:2], caption, credit, STORY[2]]), catalogue)
    assert paras == STORY
    assert out["captions"] == [{"text": caption, "credit": name}]


def test_an_ad_under_its_marker_that_says_where_to_buy_leaves(catalogue):
    ad = "Kestrel Hardware – Generators, PVC pipe, fencing. Open Sundays 8 to 12. Call 335-0000."
    story_line = "Kestrel Council – the dam's owner – said on Friday that the works would start in May."
    paras, out = _body("\n\n".join([*STORY[:2], "ADVERTISEMENT", ad, STORY[2], story_line]), catalogue)
    assert paras == [*STORY, story_line] and ad in out["boilerplate"]


def test_a_bulletins_contents_its_other_items_and_the_lead_items_headline(catalogue):
    """An e-mail bulletin: a contents list under "IN THIS ISSUE", the lead item's headline
    between rules with the dateline under it, a story list marked "*" (kept as "- "), and
    the other items of the contents after the story (their heading and text go)."""
    head = "WATER BOARD BACKS A TALLER KESTREL DAM"
    scrape = "\n".join([
        "Valley Water Co-operative | Cooperativa del Valle",
        "Member Bulletin No. 64 (English edition) / Boletín No. 64",
        "Date: Monday, 3 March 2025", "=" * 50,
        "If this e-mail does not display properly, open the web copy:", "https://valley.example/b/64",
        "=" * 50, "", "IN THIS ISSUE / EN ESTE NÚMERO",
        "  1. Water board backs a taller dam", "  2. Holiday collection schedule", "  3. AGM minutes now available",
        "", "-" * 50, head, "-" * 50, "",
        "KESTREL – " + STORY[0], "", STORY[1], "", "The works will run in two shifts:",
        "  * Morning: 6:00 to 14:00", "  * Evening: 14:00 to 22:00", "", STORY[2], "",
        "-" * 50, "2. HOLIDAY COLLECTION SCHEDULE", "Collection continues every day during the holiday.",
        "-" * 50, "3. AGM MINUTES", "Minutes of the annual meeting can be collected from your secretary."])
    out = split_text_scrape(scrape, catalogue=catalogue)
    assert out["title"] == head
    assert [p for p in out["body"].split("\n\n") if p] == [
        STORY[0], STORY[1], "The works will run in two shifts:", "- Morning: 6:00 to 14:00",
        "- Evening: 14:00 to 22:00", STORY[2]]
    assert "Collection continues every day during the holiday." in out["boilerplate"]


def test_a_standfirst_over_a_header_with_no_byline_and_inline_captions_with_labelled_credits(catalogue):
    head = "Water board backs a taller Kestrel Dam"
    scrape = "\n".join([
        "VALLEY FARM WEEKLY", "Home | Crops | Livestock | Weather", head,
        "Farmers fear for the river during the works; the board promises a release schedule",
        "Our Correspondent", "Published", "Wednesday, 5 March 2025", "",
        STORY[0], "Farmers at the river below the dam. —Photo: Jane Roe-Doe", STORY[1], STORY[2]])
    out = split_text_scrape(scrape, catalogue=catalogue)
    assert out["title"] == head
    assert [p for p in out["body"].split("\n\n") if p] == STORY
    assert {"text": "Farmers at the river below the dam.", "credit": "Jane Roe-Doe"} in out["captions"]

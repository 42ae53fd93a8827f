"""A catalogue entry for page talk ("Subscribe ...", "Sign up ...", "Share ...") steps aside
for a sentence in which someone in the story speaks; precise entries stay absolute."""
import pytest

from transforms.anatomy import Catalogue, split_text_scrape

HEAD = "Lock keepers warn of low water on the upper canal this summer"
BEFORE = "The canal trust said on Monday that levels on the upper reach had fallen below the summer mark."
AFTER = "Boats longer than 18 metres will need a booked passage from June, the trust said."


@pytest.fixture(scope="module")
def catalogue():
    return Catalogue.load()


def _split(catalogue, line):
    return split_text_scrape(f"{HEAD}\n\n{BEFORE}\n\n{line}\n\n{AFTER}\n", catalogue=catalogue)


@pytest.mark.parametrize("line", [
    "Subscribe to nothing, she joked, and you will never be disappointed by a ferry timetable again.",
    "Sign up for the night shift if you want to see the river at its best, the lock keeper said.",
    "Share the road, the cycling club urged drivers in a letter to the council on Monday.",
    "Listen to the river at night, he told the hearing, and you will hear the pumps.",
])
def test_a_story_sentence_with_a_speaker_is_kept(catalogue, line):
    out = _split(catalogue, line)
    assert line in out["body"]
    assert line not in out["boilerplate"]


@pytest.mark.parametrize("line", [
    "Advertisement",
    "Follow us on Twitter for the latest updates.",
    "Click here to subscribe to our newsletter, she said.",     # names the page itself
])
def test_page_talk_is_still_removed(catalogue, line):
    out = _split(catalogue, line)
    assert line not in out["body"]
    assert BEFORE in out["body"] and AFTER in out["body"]


# ------------------------------------------------------------------ tables the story introduces
STORY_TABLES = [
    ("The board's figures:", ["Year | Crossings | Passengers", "2023 | 4,210 | 88,000", "2024 | 4,390 | 91,500"]),
    ("The council's own count, by ward:", ["Ward | Potholes fixed", "North | 212", "South | 187"]),
    ("Results of the vote:", ["For\t14\t58%", "Against\t9\t38%", "Abstained\t1\t4%"]),
    ("Here is how the three bids compare:", ["| Bidder | Price | Years |", "|---|---|---|",
                                             "| Alder Works | 4.2m | 3 |", "| Brightway | 3.9m | 4 |"]),
]


@pytest.mark.parametrize("intro, rows", STORY_TABLES)
def test_a_table_the_story_introduces_stays_as_lines(catalogue, intro, rows):
    table = intro + "\n" + "\n".join(rows)
    out = split_text_scrape(f"{HEAD}\n\n{BEFORE}\n\n{table}\n\n{AFTER}\n\nThe trust will publish new figures in May, a spokesman said.\n",
                            catalogue=catalogue)
    for line in [intro, *rows]:
        assert line in out["body"] or set(line) <= set("|- "), line   # a "|---|" rule may go


@pytest.mark.parametrize("label, rows, note", [
    ("Market data:", ["Ticker | Last | Change", "HBRX | 14.20 | -2.1%", "PTLN | 8.05 | -0.9%"],
     "Quotes delayed 15 minutes. Data provided by Tickerline."),
    ("Live prices:", ["Gold | 2,391.10 | +0.4%", "Silver | 28.70 | -0.2%"], "Real-time data powered by Quotewell"),
])
def test_a_vendor_data_widget_goes(catalogue, label, rows, note):
    widget = "\n".join([label, *rows, note])
    out = split_text_scrape(f"{HEAD}\n\n{BEFORE}\n\n{widget}\n\n{AFTER}\n\nThe trust will publish new figures in May, a spokesman said.\n",
                            catalogue=catalogue)
    for line in rows + [note]:
        assert line not in out["body"], line
    assert BEFORE in out["body"] and AFTER in out["body"]


# ------------------------------------------------------------------ story lines of extracted pages
def _page(catalogue, text):
    """split_anatomy as the pipeline runs it on an extracted HTML page's text."""
    from transforms.anatomy import split_anatomy
    return split_anatomy(text, title="A headline", catalogue=catalogue, scrape=False)


@pytest.mark.parametrize("spec", [
    "Tested by: Mina Okafor RRP: £34.99 More info: www.lanternworks.example",
    "Developer: Quillfire Games Publisher: Northlight Platforms: PC, Switch",
    "Venue: The Corn Exchange Tickets: £18 Running time: 2h 10m",
])
def test_a_review_spec_line_is_kept(catalogue, spec):
    text = ("The lamp throws a warm, even light across a desk and folds flat for a bag.\n\n"
            "Its battery lasted four evenings of reading in our test before it needed a charge.\n\n"
            f"{spec}\n\nIt is the best small lamp we have tried this year, at a fair price.")
    assert spec in _page(catalogue, text)["body"]


def test_an_affiliate_or_follow_line_is_not_a_spec_line(catalogue):
    text = ("The lamp throws a warm, even light across a desk and folds flat for a bag.\n\n"
            "Follow us on Instagram: www.instagram.example/lampfans\n\n"
            "It is the best small lamp we have tried this year, at a fair price.")
    assert "Follow us" not in _page(catalogue, text)["body"]


def test_the_clock_times_of_a_live_blog_are_kept(catalogue):
    text = ("The latest on the harbour fire (all times local):\n\n9:05 p.m.\n\n"
            "Fire crews say the blaze at the grain store is under control after six hours.\n\n"
            "4:14 p.m.\n\nSmoke from the harbour fire has closed the coast road in both directions, police said.")
    body = _page(catalogue, text)["body"]
    assert "9:05 p.m." in body and "4:14 p.m." in body


def test_a_lone_time_stamp_of_the_page_still_goes(catalogue):
    text = ("4:14 p.m.\n\nSmoke from the harbour fire has closed the coast road in both directions, police said.\n\n"
            "Drivers were told to use the inland route until the morning.")
    assert "4:14 p.m." not in _page(catalogue, text)["body"]


def test_a_recipe_line_repeated_inside_longer_lines_is_kept(catalogue):
    item = "Lentil and Squash Soup (1 cup lentils, 2 cups diced squash, 1 tsp. cumin)"
    text = ("Day 1\n\nBreakfast: oats with berries\n\n" + item + "\n\nDinner: grilled fish\n\n"
            "Day 2\n\nBreakfast: yoghurt with seeds\n\n" + item + ", 1 slice rye bread\n\n"
            "Dinner: bean chilli\n\nEach day comes to about 1,600 calories, the plan's author says.")
    assert item in _page(catalogue, text)["body"]


def test_a_menu_under_a_label_is_not_a_story_table(catalogue):
    menu = "Our sections:\nNews | Sport | Business\nCulture | Travel | Opinion"
    out = split_text_scrape(f"{HEAD}\n\n{BEFORE}\n\n{menu}\n\n{AFTER}\n\nThe trust will publish new figures in May, a spokesman said.\n", catalogue=catalogue)
    assert "News | Sport | Business" not in out["body"]

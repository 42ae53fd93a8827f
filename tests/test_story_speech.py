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

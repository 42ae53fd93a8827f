"""General furniture detection on house styles no catalogue entry was written for
(fixtures under tests/fixtures/general/, written for the project)."""
import json
from pathlib import Path

import pytest

from transforms.anatomy import Catalogue, split_anatomy, split_text_scrape
from transforms.furniture import classify_lines, shape

GENERAL = Path(__file__).parent / "fixtures" / "general"
NAMES = sorted(p.name[: -len(".expected.json")] for p in GENERAL.glob("*.expected.json"))


@pytest.fixture(scope="module")
def catalogue():
    return Catalogue.load()


def _paras(body):
    return [p for p in body.split("\n\n") if p]


@pytest.mark.parametrize("name", NAMES)
def test_unseen_house_style_gives_the_story_and_nothing_else(catalogue, name):
    expected = json.loads((GENERAL / f"{name}.expected.json").read_text(encoding="utf-8"))
    out = split_text_scrape((GENERAL / f"{name}.txt").read_text(encoding="utf-8"), catalogue=catalogue)
    assert _paras(out["body"]) == expected["body"]
    assert out["title"] == expected["title"]
    assert out["authors"] == expected["authors"]
    if "captions" in expected:
        assert out["captions"] == expected["captions"]
    if "dateline" in expected:
        assert out["dateline"] == expected["dateline"]


def test_a_list_of_other_headlines_under_a_label_is_furniture(catalogue):
    text = ("The ferry will run again from June, the operator said on Monday.\n\n"
            "Read more\nPier repairs to start in autumn\nHarbour festival moves to August\n\n"
            "Tickets go on sale next week at the harbour office.")
    out = split_anatomy(text, catalogue=catalogue)
    assert _paras(out["body"]) == ["The ferry will run again from June, the operator said on Monday.",
                                   "Tickets go on sale next week at the harbour office."]


def test_a_list_that_belongs_to_the_story_is_kept_as_dash_lines(catalogue):
    text = ("The council listed three changes on Tuesday.\n\n- Bins will be emptied weekly.\n"
            "- Parking permits will cost less.\n- The library will open on Sundays.\n\n"
            "The changes start in May, the council said.")
    out = split_anatomy(text, catalogue=catalogue)
    assert "- Parking permits will cost less." in _paras(out["body"])


def test_a_sentence_of_the_story_is_never_removed_by_the_classifier(catalogue):
    """Short, after the last long paragraph, still a sentence: it stays."""
    text = ("The mayor opened the new bridge on Saturday morning in front of a small crowd.\n\n"
            "It rained.")
    out = split_anatomy(text, catalogue=catalogue)
    assert _paras(out["body"])[-1] == "It rained."


def test_a_subheading_between_paragraphs_stays(catalogue):
    text = ("The mayor opened the new bridge on Saturday in front of a crowd of about 200 people.\n\n"
            "What happens next\n\n"
            "The old bridge will be taken down over the summer, the council said.")
    out = split_anatomy(text, catalogue=catalogue)
    assert "What happens next" in _paras(out["body"])


def test_a_line_repeated_in_the_article_that_is_not_a_sentence_is_furniture(catalogue):
    text = ("The mayor opened the new bridge on Saturday in front of a crowd of about 200 people.\n\n"
            "Sponsored by Harbour Motors\n\nThe old bridge will be taken down over the summer.\n\n"
            "Sponsored by Harbour Motors\n\nWork starts in June, the council said on Monday.")
    out = split_anatomy(text, catalogue=catalogue)
    assert "Sponsored by Harbour Motors" not in out["body"]
    assert out["boilerplate"].count("Sponsored by Harbour Motors") == 2


def test_lines_repeated_across_articles_of_a_source_are_furniture_only_past_the_threshold(catalogue):
    text = ("The mayor opened the new bridge on Saturday in front of a crowd of about 200 people.\n\n"
            "Tell us your story at the desk\n\nWork starts in June, the council said on Monday.")
    from transforms.anatomy import norm
    seen = {norm("Tell us your story at the desk"): 3}
    assert "Tell us your story" not in split_anatomy(text, catalogue=catalogue, repeats=seen)["body"]
    assert "Tell us your story" in split_anatomy(text, catalogue=catalogue, repeats=seen,
                                                 min_repeats=4)["body"]


def test_shape_tells_a_sentence_from_a_label():
    assert shape("The board voted on Tuesday to close the pier.").sentence
    assert not shape("Most Read from the Harbour Times").sentence
    assert shape("Pier Repairs To Start In Autumn As Divers Find Rot").headline


def test_classifier_leaves_catalogue_decisions_alone():
    lines = ["Share", "The board voted on Tuesday to close the pier for a year."]
    out = classify_lines(lines, ["boilerplate", "body"], [0, 1])
    assert out == [None, None]


def test_the_trace_says_why_each_line_went_where_it_did(catalogue):
    trace = []
    split_anatomy("Advertisement\n\nThe board voted on Tuesday to close the pier.\n\nrd/ks",
                  catalogue=catalogue, trace=trace)
    assert [t["kind"] for t in trace] == ["boilerplate", "body", "boilerplate"]
    assert trace[0]["why"].startswith("catalogue entry")
    assert trace[2]["why"].startswith("catalogue entry") or trace[2]["why"].startswith("classifier")


def _draft(i, source="harbour.example", extra=""):
    return {"input_ref": f"a{i}.txt", "source_kind": "text", "source": source, "url": None,
            "title": f"Story {i}", "authors": [], "figures": [], "furniture": [],
            "text": f"The board met on day {i} and voted to repair the pier, the chair said.\n\n"
                    f"Tell us your story at the desk\n\n{extra}Work starts in June, the council said."}


def _kept(drafts, **anatomy):
    """Run AnatomyStep in a real pipeline; assert which drafts keep the repeated line."""
    import apache_beam as beam
    from apache_beam.testing.test_pipeline import TestPipeline
    from apache_beam.testing.util import assert_that, equal_to

    from pipeline.config import Config
    from transforms.steps import AnatomyStep
    cfg = Config()
    for k, v in anatomy.items():
        setattr(cfg.anatomy, k, v)

    def run(expected):
        with TestPipeline() as p:
            out = p | beam.Create(drafts) | AnatomyStep(cfg)
            assert_that(out.drafts | beam.Map(lambda d: (d["input_ref"], "Tell us your story" in d["body"])),
                        equal_to(expected))
    return run


def test_a_line_in_three_articles_of_one_source_is_furniture_when_repeats_are_on():
    drafts = [_draft(i) for i in range(3)] + [_draft(9, source="other.example")]
    _kept(drafts, repeats=True)([("a0.txt", False), ("a1.txt", False), ("a2.txt", False), ("a9.txt", True)])


def test_repeats_are_off_by_default():
    _kept([_draft(i) for i in range(3)])([("a0.txt", True), ("a1.txt", True), ("a2.txt", True)])


def test_short_labels_over_a_scraped_story_are_furniture(catalogue):
    text = ("Local Politics\n\nKey events\n\nThe council voted on Monday to buy the old cinema "
            "for the town.\n\nScreenings resume in June, the council said.")
    out = split_anatomy(text, catalogue=catalogue)
    assert _paras(out["body"]) == ["The council voted on Monday to buy the old cinema for the town.",
                                   "Screenings resume in June, the council said."]


# ---------------------------------------------------------------- structure over vocabulary

STORY = ["The ferry will run again from June, the operator said on Monday after repairs to the pier.",
         "Repairs to the pier took four months and cost about 2 million euros, the harbour board said.",
         "The first sailing leaves at 7 a.m. on June 2, and tickets go on sale next week."]


def _body(text, catalogue, **kw):
    return _paras(split_anatomy(text, catalogue=catalogue, **kw)["body"])


def test_a_newsletter_box_goes_whole_with_its_pitch(catalogue):
    box = ("Get the Quay Letter\nHarbour news, tides and ferry times, every Friday morning.\n"
           "Your email\nSubscribe")
    body = _body("\n\n".join([STORY[0], STORY[1], box, STORY[2]]), catalogue)
    assert body == STORY


def test_a_feedback_prompt_takes_its_buttons(catalogue):
    body = _body("\n\n".join(STORY + ["Was this article helpful?\nYes\nNo"]), catalogue)
    assert body == STORY


def test_date_lines_counters_and_share_bars_are_furniture(catalogue):
    head = "Thursday 6 February 2025 15:42 GMT\n\n5 min read\n\nFacebook | X | Email | Copy link"
    body = _body("\n\n".join([head] + STORY + ["Comments (12)"]), catalogue)
    assert body == STORY


def test_a_pull_quote_repeating_a_story_sentence_is_furniture(catalogue):
    quote = '"Repairs to the pier took four months and cost about 2 million euros"'
    body = _body("\n\n".join([STORY[0], STORY[1], quote, STORY[2]]), catalogue)
    assert body == STORY


def test_subheadings_stay_when_a_table_of_contents_repeats_them(catalogue):
    text = "\n\n".join(["In this article\nWhat happened\nWhat next", STORY[0], "What happened", STORY[1],
                        "What next", STORY[2]])
    assert _body(text, catalogue) == [STORY[0], "What happened", STORY[1], "What next", STORY[2]]


def test_page_talk_after_the_story_goes_and_a_story_sentence_about_email_stays(catalogue):
    story = ["The regulator fined the company for sharing email addresses of 40,000 customers without consent.",
             *STORY[1:]]
    tail = "Got a tip for our newsroom? We want to hear from you."
    assert _body("\n\n".join(story + [tail]), catalogue) == story


def test_short_answers_in_a_qa_stay(catalogue):
    qa = ["How did you start?", "By accident.", "Do you still use wood?", "Yes. Gas is too predictable."]
    body = _body("\n\n".join([STORY[0], *qa, STORY[1]]), catalogue)
    assert body == [STORY[0], *qa, STORY[1]]


def test_a_job_title_under_a_bare_name_is_part_of_the_byline(catalogue):
    out = split_text_scrape("Ferry returns in June\n\nJane Doe\nTransport writer\n\n" + "\n\n".join(STORY),
                            catalogue=catalogue)
    assert out["authors"] == ["Jane Doe"] and _paras(out["body"]) == STORY


def test_a_caption_and_its_agency_credit_are_split_off_in_a_larger_block(catalogue):
    block = "Passengers wait on the pier at dawn in Harbourton.\nJANE DOE/Harbour Wire\nLicensing rights"
    out = split_anatomy("\n\n".join([block] + STORY), catalogue=catalogue)
    assert out["captions"] == [{"text": "Passengers wait on the pier at dawn in Harbourton.",
                                "credit": "JANE DOE/Harbour Wire"}]


def test_the_threshold_trades_recall_for_precision(catalogue):
    """Page talk in the tail: removed at the default, kept when the threshold is high."""
    tail = "Got a tip for our newsroom? We want to hear from you."
    text = "\n\n".join(STORY + [tail])
    assert tail not in _body(text, catalogue)
    assert tail in _body(text, catalogue, threshold=100)


def test_a_one_sentence_story_is_never_page_talk(catalogue):
    for text in ("Body of the story is here.", "The story of the mill is told in our town's museum."):
        assert _body(text, catalogue) == [text]

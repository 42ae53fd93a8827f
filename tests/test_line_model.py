"""The line model's second opinion (transforms/line_model.py, on by default): furniture
worded as no catalogue entry or page-talk word knows goes, the story's own short lines stay."""
import pytest

from pipeline import cli
from pipeline.config import ConfigError, from_mapping
from transforms.anatomy import Catalogue, split_anatomy
from transforms.line_model import LineModel

STORY = ["The harbour board voted on Tuesday to close the old ferry pier for a year of repairs, after "
         "divers found rotten piles.",
         "Commuters will be moved to a temporary landing at the fish market, which adds about ten minutes "
         "to a crossing.",
         "Board chair Maren Holt said the structure could no longer be trusted with a full crowd on a "
         "summer evening.",
         "Work on the new piles is due to start in March, and the board expects the pier to reopen the "
         "following spring."]
# a donation pitch and a sign-up pitch in words the catalogue and page_talk.yaml do not have
APPEAL = "Want more stories like this? Sign up for our morning note."
PITCH = "Our morning note arrives at six. Join the list"


@pytest.fixture(scope="module")
def catalogue():
    return Catalogue.load()


def _text(line, at):
    return "\n\n".join(STORY[:at] + [line] + STORY[at:])


def _why(text, catalogue, line, **kw):
    trace: list = []
    split_anatomy(text, catalogue=catalogue, trace=trace, **{"line_model": True, **kw})
    return next(t for t in trace if t["line"] == line)


@pytest.mark.parametrize("line,at", [(APPEAL, 4), (PITCH, 2)])
def test_a_pitch_in_new_words_is_removed_by_the_model_and_kept_by_the_rules_alone(catalogue, line, at):
    text = _text(line, at)
    assert line in split_anatomy(text, catalogue=catalogue)["body"]            # off by default
    out = split_anatomy(text, catalogue=catalogue, line_model=True)
    assert line not in out["body"] and line in out["boilerplate"]
    assert [p for p in out["body"].split("\n\n") if p] == STORY


@pytest.mark.parametrize("line", ["It was late.", "Nobody was hurt.", "The pier opened in 1911.",
                                  "Holt did not say how much the repairs would cost."])
def test_a_short_story_sentence_stays(catalogue, line):
    for at in (1, 2, 4):
        assert line in split_anatomy(_text(line, at), catalogue=catalogue, line_model=True)["body"]


def test_the_trace_names_the_model_and_its_probability(catalogue):
    t = _why(_text(APPEAL, 4), catalogue, APPEAL)
    assert t["why"].startswith("classifier: line_model (p=") and 0.9 <= t["score"] <= 1


def test_the_threshold_is_a_knob(catalogue):
    p = _why(_text(PITCH, 2), catalogue, PITCH)["score"]
    assert _why(_text(PITCH, 2), catalogue, PITCH, line_model_threshold=min(1.0, p + 0.01))["kind"] == "body"


def test_a_two_line_text_is_not_asked(catalogue):
    text = "\n\n".join([STORY[0], PITCH])
    assert PITCH in split_anatomy(text, catalogue=catalogue, scrape=False, line_model=True)["body"]


def test_the_packaged_model_loads_once():
    assert LineModel.load() is LineModel.load() and LineModel.load().coef


def test_config_switches_the_model_off_and_checks_the_threshold():
    assert from_mapping({}).anatomy.line_model is True
    assert from_mapping({"anatomy": {"line_model": False}}).anatomy.line_model is False
    with pytest.raises(ConfigError):
        from_mapping({"anatomy": {"line_model_threshold": 0}}).validate()


def _drafts():
    return [{"input_ref": "a.txt", "source_kind": "text", "url": None, "title": "Pier to close",
             "authors": [], "figures": [], "furniture": [], "text": _text(APPEAL, 4)}]


@pytest.mark.parametrize("on", [True, False])
def test_the_anatomy_step_follows_the_config(on):
    import apache_beam as beam
    from apache_beam.testing.test_pipeline import TestPipeline
    from apache_beam.testing.util import assert_that, equal_to

    from pipeline.config import Config
    from transforms.steps import AnatomyStep
    cfg = Config()
    cfg.anatomy.line_model = on
    with TestPipeline() as p:
        out = p | beam.Create(_drafts()) | AnatomyStep(cfg)
        assert_that(out.drafts | beam.Map(lambda d: APPEAL in d["body"]), equal_to([not on]))


def test_explain_prints_the_model_as_the_reason(capsys, tmp_path):
    src = tmp_path / "pier.txt"
    src.write_text("Pier to close for repairs\n\n" + _text(APPEAL, 4) + "\n", encoding="utf-8")
    cfg = tmp_path / "c.yaml"
    cfg.write_text("anatomy:\n  line_model: false\n")
    assert cli.main(["explain", str(src)]) == 0
    out = capsys.readouterr().out
    assert "line_model (p=" in out and APPEAL[:40] in out
    assert cli.main(["explain", str(src), "--config", str(cfg)]) == 0
    assert "line_model" not in capsys.readouterr().out


# the story's own lists and subheadings look like furniture line by line; the model does not judge them
DATES = ["May 2 – Hull, Welly Club", "May 3 – York, Fibbers", "May 5 – Derby, The Hairy Dog",
         "May 6 – Leicester, Academy 2"]


def _kept(lines, catalogue, scrape=False):
    text = "\n\n".join(lines)
    body = split_anatomy(text, catalogue=catalogue, scrape=scrape, line_model=True)["body"]
    return [ln for ln in lines if ln in body]


def test_a_list_under_a_story_sentence_ending_in_a_colon_stays(catalogue):
    lines = STORY[:2] + ["The band will play these dates:"] + DATES + STORY[2:]
    assert _kept(lines, catalogue) == lines


def test_a_run_of_alike_items_under_a_subheading_stays(catalogue):
    lines = STORY[:3] + ["Spring dates"] + DATES + [STORY[3]]
    assert _kept(lines, catalogue) == lines


def test_subheadings_between_story_paragraphs_stay(catalogue):
    lines = [STORY[0], "Rotten piles", STORY[1], STORY[2], "What happens next", STORY[3]]
    assert _kept(lines, catalogue) == lines


def test_section_headings_of_a_story_told_in_parts_stay(catalogue):
    heads = ["Harbour kayak tour for $45", "Lighthouse climb for $12", "Fish market breakfast for $20"]
    lines = [STORY[0]] + [x for h, s in zip(heads, STORY[1:]) for x in (h, s)]
    assert _kept(lines, catalogue) == lines


def test_furniture_after_the_story_is_still_judged(catalogue):
    lines = STORY + [APPEAL]
    assert _kept(lines, catalogue, scrape=True) == STORY

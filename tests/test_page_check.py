"""The page check: on an HTML page whose kept lines spill out of its main container, keep only those
inside it when the model's page-level regression says so; learnt from held-out pages' F1."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest
from typer.testing import CliRunner

from cleaner import Cleaner, Options
from cleaner.cli import app
from cleaner.decide.page_check import OUTSIDE_MAIN, narrowing_inputs, spared_lines
from cleaner.decide.threshold import Decisions
from cleaner.model import Narrowing, Scaling
from cleaner.model.narrowing import NARROWING_INPUTS
from cleaner.pipeline import decide_pages
from cleaner.read.prose import is_prose
from cleaner.records import line_chars
from cleaner.stream import Bounds, classify_text_stream, clean_text_stream, segment_pages
from cleaner.training.passes import NARROWING_WEIGHT_CAP, fit_narrowing

PROSE = "We walked along the river for an hour and saw herons fishing in the shallows at dusk, talking about the year."
MENU = "".join(f'<li><a href="/s{i}">Section number {i}</a></li>' for i in range(40))
# The story is the densest container of prose; the model keeps the two paragraphs after it as well.
PAGE = f"""<html><head><title>River walk</title></head><body><ul>{MENU}</ul>
<div id="story"><h1>A walk by the river</h1>{"".join(f"<p>{PROSE} Part {i}.</p>" for i in range(8))}</div>
<div id="other"><p>{PROSE} Another story told in full sentences.</p><p>{PROSE} And a second one.</p></div>
<ul>{MENU}</ul></body></html>"""
OUTSIDE = ("Another story told", "And a second one")


def checking(cleaner: Cleaner, intercept: float) -> Cleaner:
    """``cleaner`` whose models' page check always (intercept > 0) or never (< 0) narrows."""
    width = len(NARROWING_INPUTS)
    check = Narrowing(Scaling(np.zeros(width), np.ones(width), 4.0), np.zeros(width), intercept)
    return Cleaner(replace(cleaner.text_model, narrowing=check), replace(cleaner.html_model, narrowing=check))


@pytest.fixture(scope="module")
def shipped() -> Cleaner:
    return Cleaner.load()


def test_the_page_check_narrows_a_page_to_its_main_container(shipped):
    never = checking(shipped, -5.0).article(PAGE)
    assert all(part in never.text for part in OUTSIDE) and not never.narrowed
    always = checking(shipped, 5.0).article(PAGE)
    assert always.narrowed and not any(part in always.text for part in OUTSIDE)
    assert always.text.startswith("A walk by the river") and "Part 7." in always.text
    assert always.kept == never.kept - 2


def test_narrowing_spares_the_title_and_the_prose_between_it_and_the_region():
    # A kept prose line above the title, the title, a standfirst (kept prose), a kept caption (not
    # prose), a dropped prose line, then the region.
    kept = np.array([True, True, True, True, False, True, True])
    decisions = Decisions(np.zeros((7, 2)), np.where(kept, 0.9, 0.1), kept)
    titles = np.array([False, True, False, False, False, False, False])
    prose = np.array([True, False, True, False, True, True, True])
    regions = np.array([False] * 5 + [True, True])
    spared = spared_lines(decisions, [0, 7], prose, regions, titles, np.array([True]))
    assert spared.tolist() == [False, True, True, False, False, False, False]
    # A page not narrowed spares nothing more than its titles; nor does a title inside the region.
    assert spared_lines(decisions, [0, 7], prose, regions, titles, np.array([False])).tolist() == titles.tolist()
    inside = np.array([False] * 6 + [True])
    assert spared_lines(decisions, [0, 7], prose, regions, inside, np.array([True])).tolist() == inside.tolist()


def test_the_user_can_turn_the_page_check_off(shipped):
    always = checking(shipped, 5.0)
    assert not always.article(PAGE, Options(narrow=False)).narrowed
    # A threshold under the model's keeps every line that reaches it, those the check dropped too.
    below = always.html_model.threshold - 0.1
    assert all(part in always.clean_html(PAGE, Options(threshold=below)) for part in OUTSIDE)
    assert all(part in always.clean_html(PAGE, Options(narrow=False)) for part in OUTSIDE)


def test_the_page_check_is_explained_and_reported(shipped):
    always = checking(shipped, 5.0)
    page = always.process(PAGE, Options(explain=True))
    assert page.narrowed
    dropped = [r for r in page.results if any(part in r.text for part in OUTSIDE)]
    assert dropped and all(not r.kept and r.explanation[0] == (OUTSIDE_MAIN, 5.0) for r in dropped)
    assert all(r.explanation[0][0] != OUTSIDE_MAIN for r in page.results if r.kept)
    assert always.extract(PAGE).narrowed


def test_the_explained_log_odds_are_those_the_check_decided_on(shipped):
    # A check that leans on the share of the kept text inside the region: narrowing moves that share
    # to 1, so log-odds taken after narrowing would differ from those that decided.
    width = len(NARROWING_INPUTS)
    coef = np.zeros(width)
    coef[NARROWING_INPUTS.index("kept_in_main")] = -10.0
    check = Narrowing(Scaling(np.zeros(width), np.ones(width), 4.0), coef, 9.5)
    cleaner = Cleaner(shipped.text_model, replace(shipped.html_model, narrowing=check))
    page = cleaner.read_page(PAGE)
    before = decide_pages([page], cleaner.html_model, Options(narrow=False))
    prose = np.array([is_prose(text) for text in page.texts])
    inputs, applies = narrowing_inputs(before, line_chars(page.texts), [0, len(page.texts)], prose, page.markup.in_main)
    expected = round(float(check.logit(inputs)[0]), 3)
    assert applies[0] and 0 < expected < 9.5
    result = cleaner.process(PAGE, Options(explain=True))
    assert result.narrowed
    dropped = [r for r in result.results if any(part in r.text for part in OUTSIDE)]
    assert dropped and all(r.explanation[0] == (OUTSIDE_MAIN, expected) for r in dropped)


def test_the_command_line_reports_the_page_check(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["clean", "--format", "json", str(page)])
    assert result.exit_code == 0, result.output
    assert isinstance(json.loads(result.stdout)["narrowed"], bool)
    off = runner.invoke(app, ["clean", "--no-narrow", "--format", "json", str(page)])
    assert json.loads(off.stdout)["narrowed"] is False


def test_the_page_check_learns_which_pages_narrowing_helps():
    rng = np.random.default_rng(0)
    inputs = rng.uniform(0, 1, size=(400, len(NARROWING_INPUTS)))
    kept_in_main = inputs[:, NARROWING_INPUTS.index("kept_in_main")]
    # Narrowing helped the pages that kept much outside their container, and hurt the others.
    gain = np.where(kept_in_main < 0.5, 0.3, -0.2) * rng.uniform(0.5, 1.5, size=400)
    check = fit_narrowing(inputs, gain, 1.0)
    assert check is not None
    predicted = check.logit(inputs) > 0
    assert (predicted == (kept_in_main < 0.5)).mean() > 0.9
    assert check.coef[NARROWING_INPUTS.index("kept_in_main")] < 0


def test_no_page_weighs_more_than_the_cap_in_the_page_check():
    """A page narrowing took from 0.9 to 0 counts as much as one it moved by NARROWING_WEIGHT_CAP."""
    rng = np.random.default_rng(2)
    inputs = rng.uniform(0, 1, size=(100, len(NARROWING_INPUTS)))
    gain = rng.choice([-0.1, 0.1], size=100)
    capped, extreme = gain.copy(), gain.copy()
    capped[0], extreme[0] = -NARROWING_WEIGHT_CAP, -0.9
    a, b = fit_narrowing(inputs, capped, 1.0), fit_narrowing(inputs, extreme, 1.0)
    assert a is not None and b is not None
    assert np.array_equal(a.coef, b.coef) and a.intercept == b.intercept


def test_no_page_check_is_learnt_from_pages_it_never_moved():
    inputs = np.random.default_rng(1).uniform(0, 1, size=(50, len(NARROWING_INPUTS)))
    assert fit_narrowing(inputs, np.zeros(50), 1.0) is None
    assert fit_narrowing(inputs, np.full(50, 0.1), 1.0) is None  # one outcome only: nothing to weigh


# A text page: a story, a menu, then another story that the text model keeps too.
TEXT_PAGE = "\n".join(
    [
        "Bridge to close to cars",
        "The council voted on Tuesday to close the old bridge to cars from next spring.",
        "Engineers found cracks in two of its supports during an inspection in March, the mayor said.",
        "Cyclists and pedestrians will still be able to cross while repairs go on, which could take a year.",
        "Shop owners on the east bank fear they will lose customers, and asked for a shuttle bus.",
        "The mayor promised to study the idea and to publish the cost of the works before the summer.",
        "A public meeting is planned at the town hall on the first Monday of next month.",
        *("Home", "World", "Politics", "Business", "Sport", "Culture"),
        "Meanwhile, in the next valley, farmers are preparing for the earliest harvest in a decade.",
        "Growers say the warm spring has brought the grapes forward by almost three weeks this year.",
        "Most of them have hired pickers already, though some worry about storms in the coming days.",
        "The cooperative expects a good vintage, and will open its cellars to visitors in October.",
        "Pickers will be paid by the crate, as they were last year, and housed in the village school.",
        "Contact | Terms | Privacy",
    ]
)


def test_the_page_check_narrows_a_text_page_to_its_main_region(shipped):
    options = Options(input_format="text")
    never = checking(shipped, -5.0).article(TEXT_PAGE, options)
    always = checking(shipped, 5.0).article(TEXT_PAGE, options)
    assert "hired pickers" in never.text and not never.narrowed
    assert always.narrowed and "hired pickers" not in always.text and "next valley" not in always.text
    assert "The council voted" in always.text and "first Monday" in always.text


def test_the_segments_of_a_long_text_are_not_narrowed(shipped):
    # A long text is cleaned in segments, slices of the text rather than pages: the page check, which
    # would keep only each segment's main region, stays off there.
    always = checking(shipped, 5.0)
    lines = ("\n\n".join([TEXT_PAGE] * 3) + "\n").splitlines(keepends=True)
    tight = Bounds(whole_page=100, segment_lines=20, segment_chars=100_000, hard_lines=40, hard_chars=100_000)
    on, off = Options(input_format="text"), Options(input_format="text", narrow=False)
    segments = list(segment_pages((line.rstrip("\n") for line in lines), tight))
    assert len(segments) > 1
    assert any(decide_pages([page], always.text_model, on).narrowed.any() for page in segments)
    streamed = "".join(clean_text_stream(always.models, lines, on, tight))
    assert streamed == "".join(clean_text_stream(always.models, lines, off, tight))
    page = classify_text_stream(always.models, lines, on, tight)
    assert page.streamed
    unchecked = classify_text_stream(always.models, lines, off, tight)
    assert [r.kept for s in page.results for r in s] == [r.kept for s in unchecked.results for r in s]

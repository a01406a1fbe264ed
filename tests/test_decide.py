"""The decision stage: the page fallback and the page check of cleaner.decide on hand-made decisions."""

from __future__ import annotations

from dataclasses import fields, replace

import numpy as np
import pytest
from cores import GENERATED, both_cores, built
from hypothesis import given
from hypothesis import strategies as st

from cleaner.decide.fallback import (
    FALLBACK_DISTRUSTED_SHARE,
    FALLBACK_EMPTY_SHARE,
    FALLBACK_EMPTY_SHARE_HTML,
    FALLBACK_KEPT_SHARE,
    FALLBACK_MIN_PROSE_CHARS,
    FALLBACK_MIN_TEXT_CHARS,
    best_run,
    fall_back,
)
from cleaner.decide.page_check import (
    TEXT_REGION_GAP,
    check_pages,
    main_regions,
    narrow,
    narrowing_inputs,
)
from cleaner.decide.threshold import Decisions
from cleaner.features.spans import main_span
from cleaner.model.narrowing import NARROWING_INPUTS
from cleaner.records import line_chars

PROSE = "We walked along the river for an hour and saw herons fishing in the shallows at dusk."  # 84 chars
MENU = "Home"


def decisions(keep: list[float], kept: list[bool]) -> Decisions:
    probabilities = np.zeros((len(keep), 2))
    return Decisions(probabilities, np.array(keep), np.array(kept, dtype=bool))


def run(texts: list[str], keep: list[float], kept: list[bool], prose: list[bool]) -> Decisions:
    return fall_back(decisions(keep, kept), line_chars(texts), [0, len(texts)], np.array(prose, dtype=bool))


def test_an_empty_page_with_prose_keeps_its_likeliest_run():
    lines = 8
    assert lines * len(PROSE) >= FALLBACK_MIN_PROSE_CHARS
    texts = [MENU, MENU, *[PROSE] * lines, MENU]
    keep = [0.05, 0.05, *[0.3] * lines, 0.02]
    result = run(texts, keep, [False] * len(texts), [False, False, *[True] * lines, False])
    assert result.kept.tolist() == [False, False, *[True] * lines, False]
    assert result.fallback.tolist() == [True]


def test_a_page_that_kept_enough_of_its_prose_is_left_alone():
    texts = [PROSE] * 10
    kept = [True] * 4 + [False] * 6  # 40% of the prose kept
    assert 0.4 >= FALLBACK_KEPT_SHARE
    result = run(texts, [0.9] * 4 + [0.2] * 6, kept, [True] * 10)
    assert result.kept.tolist() == kept and result.fallback.tolist() == [False]


def test_a_page_that_kept_too_little_of_its_prose_gets_its_best_region_added():
    texts = [PROSE] * 10
    kept = [True] + [False] * 9  # 10% of the prose kept
    keep = [0.9, 0.45, 0.4, 0.42, 0.44, 0.1, 0.05, 0.05, 0.05, 0.05]
    result = run(texts, keep, kept, [True] * 10)
    assert result.kept.tolist() == [True] * 5 + [False] * 5
    assert result.fallback.tolist() == [True]
    # The lines the fallback added, not the one the model kept, are the fallback's (for --explain).
    assert result.kept_by_fallback.tolist() == [False] * 1 + [True] * 4 + [False] * 5


def test_short_pages_stay_empty():
    texts = [PROSE, MENU]
    assert len(PROSE) < FALLBACK_MIN_PROSE_CHARS
    result = run(texts, [0.3, 0.1], [False, False], [True, False])
    assert not result.kept.any() and result.fallback.tolist() == [False]


def test_a_long_text_page_without_prose_is_kept_whole_rather_than_left_with_nothing():
    cell = "Scott Alexander L/L 6'2\" 190lbs"
    texts = [cell] * (FALLBACK_MIN_TEXT_CHARS // len(cell) + 1)
    keep = [0.2] * len(texts)
    keep[0] = 0.01  # the likeliest run would leave this line out: the lines are too alike to choose
    result = run(texts, keep, [False] * len(texts), [False] * len(texts))
    assert result.kept.all() and result.fallback.tolist() == [True]
    # An HTML page's fallback is its densest container, or its likeliest run where it has none.
    no_container = np.zeros(len(texts), dtype=bool)
    markup = fall_back(
        decisions(keep, [False] * len(texts)), line_chars(texts), [0, len(texts)], no_container, no_container
    )
    assert markup.kept.tolist() == [False] + [True] * (len(texts) - 1)
    # ...and so is one that kept next to nothing of it (a two-letter line)...
    sliver = ["OK", *texts]
    assert len(sliver[0]) <= FALLBACK_EMPTY_SHARE * sum(map(len, sliver))
    result = run(sliver, [0.5, *keep], [True] + [False] * len(texts), [False] * len(sliver))
    assert result.kept.all()
    # ...but a page that kept something of it is left as it is.
    kept = [True] + [False] * (len(texts) - 1)
    assert run(texts, keep, kept, [False] * len(texts)).kept.tolist() == kept


def test_an_html_page_that_kept_only_its_heading_of_a_list_gets_its_container():
    # A documentation index: a heading kept, its list of links (the page's container) dropped.
    entries = [f"module{n} - Tools for task {n}" for n in range(20)]
    texts = ["Library reference", *entries, "Copyright 2024."]
    share = len(texts[0]) / sum(map(len, texts))
    assert FALLBACK_EMPTY_SHARE < share <= FALLBACK_EMPTY_SHARE_HTML
    keep = [0.6, *[0.1] * len(entries), 0.05]
    kept = [True] + [False] * (len(texts) - 1)
    in_main = np.array([True] * (len(entries) + 1) + [False])
    prose = np.zeros(len(texts), dtype=bool)
    html = fall_back(decisions(keep, kept), line_chars(texts), [0, len(texts)], prose, in_main)
    assert html.kept.tolist() == [True] * (len(entries) + 1) + [False] and html.fallback.tolist() == [True]
    # A text page keeping that share is left as it is: its region would be a run of lines, not a container.
    assert run(texts, keep, kept, prose.tolist()).kept.tolist() == kept


def test_pages_of_a_batch_are_decided_apart():
    texts = [*[PROSE] * 8, *[PROSE] * 8]
    keep = [0.1, *[0.3] * 6, 0.1, *[0.9] * 8]
    kept = [False] * 8 + [True] * 8
    result = fall_back(decisions(keep, kept), line_chars(texts), [0, 8, 16], np.ones(16, dtype=bool))
    assert result.kept.tolist() == [False, *[True] * 6, False, *[True] * 8]
    assert result.fallback.tolist() == [True, False]


def test_an_html_page_falls_back_on_its_densest_container():
    # A forum thread the model thinks little of: every line low, the footer's menu a little less so.
    # The run standing highest above the page's mean would be the footer; the container is the thread.
    texts = [MENU, *[PROSE] * 6, *[MENU] * 6]
    keep = [0.001, *[0.012] * 6, *[0.016] * 6]
    in_main = np.array([False, *[True] * 6, *[False] * 6])
    prose = np.array([t == PROSE for t in texts])
    result = fall_back(decisions(keep, [False] * len(texts)), line_chars(texts), [0, len(texts)], prose, in_main)
    assert result.kept.tolist() == in_main.tolist() and result.fallback.tolist() == [True]
    # Without a densest container (no prose in any, or a text page), the likeliest run is kept.
    nowhere = fall_back(
        decisions(keep, [False] * len(texts)), line_chars(texts), [0, len(texts)], prose, np.zeros(13, bool)
    )
    assert nowhere.kept.tolist() == [False] * 7 + [True] * 6


def test_a_batch_of_html_pages_falls_back_on_each_page_s_own_container():
    texts = [*[PROSE] * 8, *[PROSE] * 8]
    keep = [0.05] * 8 + [0.9] * 8
    kept = [False] * 8 + [True] * 8
    in_main = np.array([False, False, *[True] * 5, False, *[True] * 4, *[False] * 4])
    result = fall_back(decisions(keep, kept), line_chars(texts), [0, 8, 16], np.ones(16, dtype=bool), in_main)
    assert result.kept.tolist() == [False, False, *[True] * 5, False, *[True] * 8]
    assert result.fallback.tolist() == [True, False]


def test_a_container_that_holds_none_of_the_kept_lines_gives_way_to_the_best_run():
    # A short article the model is sure of (too little of the page's prose to pass), and a longer
    # login dialog at the end, the densest container: keeping the dialog would add the wrong region.
    texts = [MENU, *[PROSE] * 3, MENU, *[PROSE] * 8]
    keep = [0.02, 0.9, 0.95, 0.9, 0.02, *[0.05] * 8]
    kept = [k > 0.5 for k in keep]
    in_main = np.array([False] * 5 + [True] * 8)
    prose = np.array([t == PROSE for t in texts])
    result = fall_back(decisions(keep, kept), line_chars(texts), [0, len(texts)], prose, in_main)
    assert result.fallback.tolist() == [True]
    assert result.kept.tolist() == [False, True, True, True, *[False] * 9]


def test_a_container_the_model_rates_far_below_the_page_gives_way_to_the_best_run():
    # Nothing kept; the densest container is a cookie dialog of long paragraphs that the model is sure
    # of (0.01), while a question and its answers above it stand at 0.3-0.45: the fallback keeps those.
    texts = [MENU, *[PROSE] * 4, MENU, *[PROSE] * 6]
    keep = [0.05, 0.3, 0.45, 0.4, 0.35, 0.05, *[0.01] * 6]
    in_main = np.array([False] * 6 + [True] * 6)
    prose = np.array([t == PROSE for t in texts])
    page_mean = float(np.dot(keep, list(map(len, texts))) / sum(map(len, texts)))
    assert 0.01 < FALLBACK_DISTRUSTED_SHARE * page_mean
    result = fall_back(decisions(keep, [False] * len(texts)), line_chars(texts), [0, len(texts)], prose, in_main)
    assert result.fallback.tolist() == [True]
    assert result.kept.tolist() == [False, True, True, True, True, *[False] * 7]
    # Rated level with the rest, the container is kept as before.
    level = [0.05, 0.3, 0.45, 0.4, 0.35, 0.05, *[0.2] * 6]
    result = fall_back(decisions(level, [False] * len(texts)), line_chars(texts), [0, len(texts)], prose, in_main)
    assert result.kept.tolist() == in_main.tolist()


# A page of 10 lines: an article in lines 2-6 (its main container), a related-links block after it
# that the model kept too, and a menu.
SPILL_TEXTS = [MENU, MENU, *[PROSE] * 5, "Related: a story", "Related: another", MENU]
SPILL_MAIN = np.array([False, False, *[True] * 5, False, False, False])
SPILL_KEEP = [0.1, 0.1, 0.9, 0.9, 0.9, 0.2, 0.9, 0.8, 0.7, 0.1]
SPILL_KEPT = [p >= 0.5 for p in SPILL_KEEP]


def spill_inputs(pages: int = 1) -> tuple[np.ndarray, np.ndarray]:
    texts = SPILL_TEXTS * pages
    prose = np.array([t == PROSE for t in texts])
    bounds = [len(SPILL_TEXTS) * i for i in range(pages + 1)]
    return narrowing_inputs(
        decisions(SPILL_KEEP * pages, SPILL_KEPT * pages), line_chars(texts), bounds, prose, np.tile(SPILL_MAIN, pages)
    )


def test_the_page_check_s_inputs_say_what_they_name():
    inputs, applies = spill_inputs()
    values = dict(zip(NARROWING_INPUTS, inputs[0].tolist()))
    chars = np.array([len(t) for t in SPILL_TEXTS], dtype=float)
    kept, main = np.array(SPILL_KEPT), SPILL_MAIN
    assert values["kept_of_prose"] == chars[kept].sum() / chars[main].sum()
    assert values["kept_of_page"] == chars[kept].sum() / chars.sum()
    assert values["main_of_page"] == chars[main].sum() / chars.sum()
    assert values["main_of_prose"] == 1.0
    assert values["kept_in_main"] == chars[kept & main].sum() / chars[kept].sum()
    keep = np.array(SPILL_KEEP)
    assert np.isclose(values["main_keep"], (keep * chars)[main].sum() / chars[main].sum())
    assert np.isclose(values["outside_keep"], (keep * chars)[~main].sum() / chars[~main].sum())
    assert values["main_covered"] == 4 / 5
    assert applies.tolist() == [True]


def test_the_page_check_s_inputs_are_the_reference_bit_for_bit():
    """The core in use computes the page check's inputs as the reference does, to the last bit: pages of
    zero and one line, pages with nothing kept, no prose or no main region, and long ones, in one batch."""
    from cleaner.decide.page_check import reference_narrowing_inputs

    rng = np.random.default_rng(7)
    bounds = np.cumsum([0, 0, 1, 6, 40, 0, 300, 12])
    n = int(bounds[-1])
    texts = ["x" * int(size) for size in rng.integers(0, 400, size=n)]
    chars = np.array([len(t) for t in texts], dtype=float)
    keep = rng.uniform(size=n)
    kept, prose, in_main = keep >= 0.5, rng.uniform(size=n) < 0.4, rng.uniform(size=n) < 0.5
    kept[bounds[3] : bounds[4]] = False
    prose[bounds[4] : bounds[6]] = False
    in_main[bounds[6] : bounds[7]] = False
    expected = reference_narrowing_inputs(chars, keep, kept, bounds, prose, in_main)
    got = narrowing_inputs(decisions(keep, kept), line_chars(texts), bounds.tolist(), prose, in_main)
    assert got[0].tobytes() == expected[0].tobytes()
    assert got[1].tolist() == expected[1].tolist() and got[1].dtype == bool
    assert expected[1].any() and not expected[1].all()


def test_the_page_check_applies_only_where_kept_lines_lie_inside_and_outside_the_main_container():
    texts = [*[PROSE] * 4, MENU]
    prose = np.array([True] * 4 + [False])
    inside = decisions([0.9] * 4 + [0.1], [True] * 4 + [False])
    _, applies = narrowing_inputs(inside, line_chars(texts), [0, 5], prose, np.array([True] * 4 + [False]))
    assert applies.tolist() == [False]
    _, applies = narrowing_inputs(inside, line_chars(texts), [0, 5], prose, np.zeros(5, dtype=bool))
    assert applies.tolist() == [False]  # no main container
    # Nothing kept inside the container: narrowing would empty the page.
    _, applies = narrowing_inputs(inside, line_chars(texts), [0, 5], prose, np.array([False] * 4 + [True]))
    assert applies.tolist() == [False]


def test_narrowing_keeps_only_the_kept_lines_inside_the_container_on_the_pages_chosen():
    base = decisions(SPILL_KEEP * 2, SPILL_KEPT * 2)
    result = narrow(base, [0, 10, 20], np.tile(SPILL_MAIN, 2), np.array([True, False]))
    assert result.kept[:10].tolist() == (np.array(SPILL_KEPT) & SPILL_MAIN).tolist()
    assert result.kept[10:].tolist() == SPILL_KEPT
    assert result.narrowed.tolist() == [True, False]
    assert result.page_flags(0) == (False, True) and result.page_flags(1) == (False, False)


def test_check_pages_narrows_where_the_logit_is_positive():
    texts = SPILL_TEXTS * 2
    prose = np.array([t == PROSE for t in texts])
    base = decisions(SPILL_KEEP * 2, SPILL_KEPT * 2)
    seen = []

    def logit(inputs: np.ndarray) -> np.ndarray:
        seen.append(inputs.shape)
        return np.array([1.0, -1.0])

    result = check_pages(base, line_chars(texts), [0, 10, 20], prose, np.tile(SPILL_MAIN, 2), logit)
    assert seen == [(2, len(NARROWING_INPUTS))]
    assert result.narrowed.tolist() == [True, False]
    assert not result.kept[7:9].any() and result.kept[17:19].all()


def test_the_page_check_keeps_the_title_line_above_the_container():
    # The headline (line 1) stands above the article's container; the model kept it.
    texts = [MENU, "Herons return to the river", *[PROSE] * 5, "Related: a story", MENU]
    in_main = np.array([False, False, *[True] * 5, False, False])
    keep = [0.1, 0.8, 0.9, 0.9, 0.9, 0.9, 0.9, 0.8, 0.1]
    kept = [p >= 0.5 for p in keep]
    titles = np.zeros(len(texts), dtype=bool)
    titles[1] = True
    prose = np.array([t == PROSE for t in texts])
    seen = []

    def logit(inputs: np.ndarray) -> np.ndarray:
        seen.append(inputs)
        return np.ones(len(inputs))

    asked = []

    def title_lines(pages: np.ndarray) -> np.ndarray:
        asked.append(pages.tolist())
        return titles

    with_titles = check_pages(
        decisions(keep, kept), line_chars(texts), [0, len(texts)], prose, in_main, logit, title_lines
    )
    assert asked == [[True]]
    without = check_pages(decisions(keep, kept), line_chars(texts), [0, len(texts)], prose, in_main, logit)
    assert with_titles.kept.tolist() == [False, True, *[True] * 5, False, False]
    assert without.kept.tolist() == [False, False, *[True] * 5, False, False]
    # Whether to narrow is decided as before: the title line is not part of the region's inputs.
    assert np.array_equal(seen[0], seen[1])
    # A title line the model dropped stays dropped.
    kept[1] = False
    assert not check_pages(decisions(keep, kept), line_chars(texts), [0, 9], prose, in_main, logit, title_lines).kept[1]
    # Titles are only looked for on pages the check narrows.
    asked.clear()
    check_pages(
        decisions(keep, kept), line_chars(texts), [0, 9], prose, in_main, lambda x: -np.ones(len(x)), title_lines
    )
    assert asked == []


def test_a_text_page_s_main_region_is_its_best_run_and_an_html_page_s_its_container():
    texts = [MENU, *[PROSE] * 4, MENU, MENU, PROSE]
    keep = [0.1, 0.8, 0.9, 0.7, 0.8, 0.2, 0.1, 0.6]
    found = main_regions(decisions(keep * 2, [False] * 16), line_chars(texts * 2), [0, 8, 16], None)
    assert found.tolist() == [False, *[True] * 4, False, False, False] * 2
    # Kept lines near the run join it (a caption between the lede and the body); far ones do not.
    near = main_regions(decisions(keep, [k > 0.5 for k in keep]), line_chars(texts), [0, 8], None)
    assert near.tolist() == [False, *[True] * 7]
    texts_far = [PROSE, *[MENU] * (TEXT_REGION_GAP + 1), *[PROSE] * 4]
    keep_far = [0.6, *[0.1] * (TEXT_REGION_GAP + 1), 0.9, 0.9, 0.9, 0.9]
    far = main_regions(
        decisions(keep_far, [k > 0.5 for k in keep_far]), line_chars(texts_far), [0, len(texts_far)], None
    )
    assert far.tolist() == [False] * (TEXT_REGION_GAP + 2) + [True] * 4
    # The fallback keeps the same run on a text page it finds (nearly) empty.
    fallen = fall_back(decisions(keep, [False] * 8), line_chars(texts), [0, 8], np.array([t == PROSE for t in texts]))
    assert fallen.kept.tolist() == found[:8].tolist()
    in_main = np.array([False] * 7 + [True])
    assert main_regions(decisions(keep, [False] * 8), line_chars(texts), [0, 8], in_main) is in_main


_page_check, needs_page_check = built("cleaner.decide._page_check")


@needs_page_check
@GENERATED
@given(
    st.lists(
        st.one_of(st.sampled_from([0.0, -0.0, 1.0, -1.0, 0.5, -0.5]), st.floats(-1e6, 1e6, allow_nan=False)),
        max_size=40,
    )
)
def test_the_compiled_main_span_is_the_reference(scores):
    """Ties (equal totals, runs that return to zero), all-negative and empty scores included."""
    assert _page_check.main_span(np.array(scores, dtype=np.float64)) == main_span(scores)


def test_a_text_page_s_best_run_is_the_same_on_both_cores(monkeypatch):
    rng = np.random.default_rng(11)
    for lines in (0, 1, 2, 7, 200):
        keep, chars = rng.uniform(size=lines), rng.integers(0, 300, size=lines).astype(float)
        compiled, reference = both_cores(monkeypatch, lambda: best_run(keep, chars))
        assert compiled == reference
        assert lines < 7 or reference[0] < reference[1]


def test_changed_decisions_are_dataclasses_replace():
    decisions = Decisions(np.zeros((2, 3)), np.array([0.2, 0.9]), np.array([False, True]), parts=np.zeros(2))
    changes = {"kept": np.array([True, True]), "narrowed": np.array([True])}
    got, expected = decisions.changed(**changes), replace(decisions, **changes)
    assert type(got) is Decisions
    assert all(getattr(got, field.name) is getattr(expected, field.name) for field in fields(Decisions))
    assert decisions.kept.tolist() == [False, True] and decisions.narrowed is None  # the original stands
    with pytest.raises(TypeError, match="no field"):
        decisions.changed(kep=np.array([True, True]))

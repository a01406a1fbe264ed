"""The main container's threshold: inside an HTML page's main container, a prose line the model
hesitates on is kept from a lower keep-probability than the threshold, chosen in training."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from cleaner import Cleaner, Options
from cleaner.decide.groups import announcing_lines
from cleaner.decide.parts import KEPT_IN_MAIN, keep_main_prose
from cleaner.decide.threshold import Decisions
from cleaner.errors import ModelError
from cleaner.model import Model
from cleaner.pipeline import decide_pages
from cleaner.read.prose import is_prose

PROSE = "We walked along the river for an hour and saw herons fishing in the shallows at dusk, talking about the year."
MENU = "".join(f'<li><a href="/s{i}">Section number {i}</a></li>' for i in range(40))
DOUBTED = "Ten walks along the river that you will love this spring, with maps and photos of each one of them."
PAGE = f"""<html><head><title>River walk</title></head><body><ul>{MENU}</ul>
<div id="story"><h1>A walk by the river</h1>{"".join(f"<p>{PROSE} Part {i}.</p>" for i in range(6))}
<div class="newsletter-signup"><p>{DOUBTED}</p></div></div><ul>{MENU}</ul></body></html>"""


def decisions_of(keep: list[float], top: list[int], labels: int) -> Decisions:
    probabilities = np.full((len(keep), labels), 0.01)
    probabilities[np.arange(len(keep)), top] = 1.0
    keep_array = np.array(keep)
    return Decisions(probabilities, keep_array, keep_array >= 0.5)


def test_prose_of_the_main_container_is_kept_from_the_lower_threshold():
    labels = ("body", "heading", "meta", "nav")
    # Page 0: lines 0-3, a kept line in its container; page 1: lines 4-5, nothing kept in its container.
    decisions = decisions_of([0.9, 0.3, 0.3, 0.3, 0.3, 0.1], [0, 3, 2, 3, 3, 3], len(labels))
    in_main = np.array([True, True, True, False, True, True])
    prose = np.ones(6, dtype=bool)
    found = keep_main_prose(decisions, labels, [0, 4, 6], prose, in_main, 0.25)
    # Line 1 is added; line 2 reads as a caption (meta), line 3 lies outside the container, page 1
    # kept nothing in its container, and line 5 stands below the lower threshold.
    assert found.kept.tolist() == [True, True, False, False, False, False]
    assert found.kept_in_main.tolist() == [False, True, False, False, False, False]
    not_prose = keep_main_prose(decisions, labels, [0, 4, 6], np.array([True, False, *[True] * 4]), in_main, 0.25)
    assert not not_prose.kept_in_main.any()
    empty = decisions_of([], [], len(labels))
    assert not keep_main_prose(empty, labels, [0], np.zeros(0, dtype=bool), np.zeros(0, dtype=bool), 0.2).kept.any()


@pytest.fixture(scope="module")
def shipped() -> Cleaner:
    return Cleaner.load()


def lowered(cleaner: Cleaner, threshold: float, main_threshold: float | None) -> Cleaner:
    html = replace(cleaner.html_model, threshold=threshold, main_threshold=main_threshold)
    return Cleaner(cleaner.text_model, html)


def test_a_doubted_paragraph_of_the_story_is_kept_and_explained(shipped):
    # The story's paragraphs all pass the shipped threshold: one between the doubted paragraph's
    # keep-probability and the others' makes it the one the model hesitates on.
    page = shipped.read_page(PAGE)
    keep = decide_pages([page], shipped.html_model, Options()).keep
    doubted = page.texts.index(DOUBTED)
    in_main = page.markup.in_main
    assert is_prose(DOUBTED) and in_main[doubted]
    others = keep[in_main & (np.arange(len(keep)) != doubted)]
    assert keep[doubted] < others.max()
    threshold = float(keep[doubted] + others.max()) / 2
    assert DOUBTED not in lowered(shipped, threshold, None).clean_html(PAGE)
    low = lowered(shipped, threshold, 0.0)
    assert DOUBTED in low.clean_html(PAGE)
    results = {r.text: r for r in low.classify_html(PAGE, Options(explain=True))}
    assert results[DOUBTED].kept and results[DOUBTED].explanation[0] == (KEPT_IN_MAIN, 0.0)
    assert all(r.explanation[0][0] != KEPT_IN_MAIN for text, r in results.items() if text != DOUBTED)
    # The user's dials: the model's own threshold keeps what the rules keep, a higher one only what
    # reaches it; --no-narrow keeps what the model kept.
    assert DOUBTED in low.clean_html(PAGE, Options(threshold=threshold))
    assert DOUBTED not in low.clean_html(PAGE, Options(threshold=(threshold + 1) / 2))
    assert DOUBTED not in low.clean_html(PAGE, Options(narrow=False))


def test_a_sentence_announcing_a_listing_is_read_with_the_prose():
    texts = [
        "Use git stripspace with no arguments to obtain:",
        "Share:",
        "Tags: rivers, walks",
        "Follow the river path for an hour:  ",
        "Four words end here:",
        PROSE,
    ]
    assert announcing_lines(texts).tolist() == [True, False, False, True, False, False]
    assert not any(map(is_prose, texts[:5]))  # none of them is prose by read.prose's rule


def test_an_announcing_sentence_of_the_main_container_is_kept_from_the_lower_threshold(shipped):
    # As for the doubted paragraph: a threshold above the sentence's keep-probability, the container's
    # lower threshold at 0 keeps it, as it keeps the prose.
    announcing = "Here is what the walk looks like from the old bridge at dusk:"
    page_html = PAGE.replace(f"<p>{DOUBTED}</p>", f"<p>{announcing}</p>")
    page = shipped.read_page(page_html)
    keep = decide_pages([page], shipped.html_model, Options()).keep
    line = page.texts.index(announcing)
    assert page.markup.in_main[line] and not is_prose(announcing)
    threshold = float(keep[line] + keep.max()) / 2
    assert announcing not in lowered(shipped, threshold, None).clean_html(page_html)
    low = lowered(shipped, threshold, 0.0)
    results = {r.text: r for r in low.classify_html(page_html, Options(explain=True))}
    assert results[announcing].kept and results[announcing].explanation[0] == (KEPT_IN_MAIN, 0.0)


def test_a_text_page_has_no_container_to_lower_the_threshold_in(shipped):
    text = f"{PROSE}\n{DOUBTED}\n{PROSE}\n"
    low = Cleaner(replace(shipped.text_model, main_threshold=0.0), shipped.html_model)
    assert low.clean(text) == shipped.clean(text)


def test_the_main_threshold_round_trips_and_is_checked(shipped, tmp_path):
    model = replace(shipped.html_model, main_threshold=0.3)
    assert Model.load(model.save(tmp_path / "model.json")).main_threshold == 0.3
    data = model.to_dict()
    data["schema_version"] = 4  # written before the main container's threshold: none
    (tmp_path / "v4.json").write_text(json.dumps(data), encoding="utf-8")
    assert Model.load(tmp_path / "v4.json").main_threshold is None
    for bad in ("low", -0.1, shipped.html_model.threshold + 0.1, float("nan")):
        data = model.to_dict()
        data["main_threshold"] = bad
        (tmp_path / "bad.json").write_text(json.dumps(data), encoding="utf-8")
        with pytest.raises(ModelError):
            Model.load(tmp_path / "bad.json")


def test_the_corpus_build_gives_html_models_the_main_threshold_below_their_threshold():
    from types import SimpleNamespace

    from cleaner.corpus.build import MAIN_THRESHOLD, main_threshold

    def data(in_main):
        return SimpleNamespace(prepared=SimpleNamespace(batch=SimpleNamespace(in_main=in_main)))

    containers = data(np.zeros(3, dtype=bool))
    assert main_threshold(containers, MAIN_THRESHOLD + 0.1) == MAIN_THRESHOLD
    assert main_threshold(containers, MAIN_THRESHOLD) is None  # it would never keep a line more
    assert main_threshold(data(None), 0.9) is None  # text: no containers

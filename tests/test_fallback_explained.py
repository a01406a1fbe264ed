"""The fallback is explained: each line it keeps says so first with ``--explain``, in both modes."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cleaner import Cleaner, Options
from cleaner.decide.fallback import KEPT_BY_FALLBACK

PROSE = "We walked along the river for an hour and saw herons fishing in the shallows at dusk, talking about the year."
TEXT = "\n".join(["Home | News | Sport", *[f"{PROSE} Part {i}." for i in range(6)], "Subscribe to our newsletter"])
HTML = f"""<html><head><title>River walk</title></head><body><ul><li><a href="/">Home</a></li></ul>
<div id="story"><h1>A walk by the river</h1>{"".join(f"<p>{PROSE} Part {i}.</p>" for i in range(6))}</div>
</body></html>"""


@pytest.fixture(scope="module")
def shipped() -> Cleaner:
    return Cleaner.load()


def unreachable(cleaner: Cleaner) -> Cleaner:
    """The shipped pair with thresholds no line reaches: the models keep nothing, the fallback decides."""
    return Cleaner(replace(cleaner.text_model, threshold=1.0), replace(cleaner.html_model, threshold=1.0))


@pytest.mark.parametrize("page, classify", [(TEXT, "classify"), (HTML, "classify_html")])
def test_the_lines_the_fallback_keeps_name_it_first(shipped, page, classify):
    cleaner = unreachable(shipped)
    assert cleaner.article(page).fallback
    results = [r for r in getattr(cleaner, classify)(page, Options(explain=True)) if r.text.strip()]
    kept = [r for r in results if r.kept]
    assert any(PROSE in r.text for r in kept)
    assert all(r.explanation[0] == (KEPT_BY_FALLBACK, 1.0) for r in kept)
    assert all(r.explanation[0][0] != KEPT_BY_FALLBACK for r in results if not r.kept)


def test_a_page_the_model_keeps_names_no_fallback(shipped):
    results = shipped.classify(TEXT, Options(explain=True))
    assert any(r.kept for r in results) and not shipped.article(TEXT).fallback
    assert all(r.explanation[0][0] != KEPT_BY_FALLBACK for r in results if r.explanation)

"""A page's largest group of repeated siblings (three or more children of one element with the same
tag and class: a thread's posts, a comment list, a grid of teasers) kept where the page keeps little
outside it; tried and not kept (docs/experiments.md, "Decision rules"). Replay with

    python bench/replay_decisions.py score RESULTS.jsonl.gz bench/rules/repeated_groups.py

The groups are found with lxml in the corpus pages themselves (``../shared/corpora``, read on the
first call, about a minute), and a line is in the group when its text lies in a member's text.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache

import lxml.html
import numpy as np
from replay_decisions import ReplayPage
from speed import ROOT

CORPORA_DIR = ROOT.parent / "shared" / "corpora"
MIN_MEMBERS = 3
_SPACE = re.compile(r"\s+")


@cache
def _group_texts() -> dict[tuple[str, str], tuple[float, str]]:
    """Per page: the share of its text in its largest repeated group, and the group's text."""
    from cleaner.corpus.pages import CORPORA, iter_corpus_pages

    found = {}
    for page in iter_corpus_pages(CORPORA_DIR, list(CORPORA)):
        try:
            root = lxml.html.fromstring(page.html)
        except (ValueError, lxml.etree.LxmlError):
            continue
        for element in root.xpath("//script|//style|//noscript|//template"):
            element.getparent().remove(element)  # its tail goes with it: text after a script is rare
        total = len(_SPACE.sub(" ", root.text_content()))
        best: tuple[int, list[str]] | None = None
        for parent in root.iter():
            groups: dict[tuple[str, str], list[str]] = defaultdict(list)
            for child in parent:
                if isinstance(child.tag, str) and child.get("class"):
                    text = _SPACE.sub(" ", child.text_content()).strip()
                    groups[(child.tag, child.get("class").strip())].append(text)
            for texts in groups.values():
                chars = sum(map(len, texts))
                if len(texts) >= MIN_MEMBERS and (best is None or chars > best[0]):
                    best = (chars, texts)
        if best is not None and total:
            found[(page.corpus, page.id)] = (best[0] / total, "\n".join(best[1]))
    return found


def keep_group(page: ReplayPage, share: float, outside: float, floor: float) -> list[bool]:
    """The group's lines from keep-probability ``floor`` kept, where the group holds ``share`` of the
    page's text and the lines kept outside it hold at most ``outside`` times the group's characters."""
    group = _group_texts().get((page.corpus, page.page_id))
    if group is None or group[0] < share:
        return page.kept
    inside = np.array([len(t) >= 3 and " ".join(t.split()) in group[1] for t in page.texts], dtype=bool)
    kept, chars = np.array(page.kept, dtype=bool), page.chars
    if not inside.any() or (chars * (kept & ~inside)).sum() > outside * (chars * inside).sum():
        return page.kept
    return (kept | (inside & (page.keep >= floor))).tolist()


def rule_group_half_nothing_outside(page: ReplayPage) -> list[bool]:
    return keep_group(page, 0.5, 0.2, 0.1)


def rule_group_third_nothing_outside(page: ReplayPage) -> list[bool]:
    return keep_group(page, 0.3, 0.2, 0.1)


def rule_group_third_little_outside(page: ReplayPage) -> list[bool]:
    return keep_group(page, 0.3, 0.5, 0.1)


def rule_group_third_every_line(page: ReplayPage) -> list[bool]:
    return keep_group(page, 0.3, 0.5, 0.0)

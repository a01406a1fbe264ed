"""The parts of a page built as the part that holds its article: a thread's replies beside its opening post.

Forum programs write every post of a thread alike (phpBB's ``<div class="post bg1">`` and ``"post
bg2"``, SMF's ``windowbg``, vBulletin's ``postcontainer``, Discuz!'s ``plhin``), the opening post
included, and most of them declare nothing in JSON-LD (:mod:`cleaner.decide.threads` reads the ones
that do). The models rate the replies as they rate a story's comments, and the page's densest
container is the opening post. A news story and its comments are built apart: the story is one
container, each comment another kind. So when the densest container is (or lies close inside) one of
several elements of the same class and template beside one another, and another of them holds prose,
the others are posts of the same thread: their lines are marked (:func:`repeated_parts`), and the decide stage
keeps their prose as it keeps a declared discussion's. (A story that an embedded video or advert cuts
into blocks of one template is found the same way: its later blocks are marked.)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

# The elements looked at for the post holding the densest container: it and its nearest ancestors, up
# to this many levels above it (a post's text lies a few wrappers inside the post).
POST_MAX_LEVELS = 4
# A post's likeness to the one holding the densest container: the kinds of element (class_signature)
# found inside both, as a share of those inside either. Layout wrappers of one class (a page builder's
# "layout-item" around the story and around its comments) hold different things.
MIN_LIKENESS = 0.5
# A thread: at least this many posts (the opening post and a reply; or a story in two blocks of one
# template around an embedded video) ... Held out by corpus, the models fixed: at 2 rather than 3,
# 0.9155 -> 0.9156, 7 pages moved, 5 up (googletrends2017 +0.0014: a story in two such blocks 0.63 ->
# 0.85; fundus +0.0007, magichtml +0.0005), 2 down (dragnet -0.026 and -0.012).
MIN_POSTS = 2
# ... of which at least this many, besides the one holding the densest container, hold a prose line.
# Held out by corpus, the models fixed: at 1, 13 corpus pages marked and 5 up (magichtml +0.0008,
# fundus +0.0009), none down; at 2, 7 marked and 3 up (docs/experiments.md).
MIN_PROSE_REPLIES = 1


def class_signature(classes: str | None) -> str:
    """What tells an element's kind by its class attribute: its first class name, lower-cased, without
    trailing digits, dashes and underscores (a forum alternating ``windowbg`` and ``windowbg2``, or
    numbering ``loop-item-0``, ``loop-item-1``..., writes one kind of post); "" for none."""
    if not classes:
        return ""
    first = classes.split(None, 1)
    return first[0].lower().rstrip("0123456789-_") if first else ""


def repeated_parts(
    classes: tuple[Sequence[int], Sequence[str]],
    ends: np.ndarray,
    lines: tuple[Sequence[int], Sequence[int]],
    main: int,
    prose: np.ndarray,
) -> np.ndarray:
    """Per line: inside another element of the kind of the one holding the page's densest container
    (element ``main``), beside it, when the page has a thread's worth of them (see the module's
    docstring).

    ``classes`` gives each element's class attribute (an index per element into a list of the
    values); ``ends`` and ``lines`` are per element too (one past the last number of its subtree,
    elements numbered in document order; the first line of its subtree and one past its last);
    ``prose`` is per line (whether it reads as prose).
    """
    marked = np.zeros(len(prose), dtype=bool)
    class_of, names = classes
    known: dict[int, str] = {}

    def kind(index: int) -> str:  # a class value's kind, computed once a page and only when asked
        found = known.get(index)
        if found is None:
            found = known[index] = class_signature(names[index])
        return found

    first, last = lines

    def prose_in(number: int) -> int:  # the prose lines of an element
        return int(np.count_nonzero(prose[first[number] : last[number]]))

    # The ancestors of the densest container, innermost first, and the container itself.
    chain = [main, *np.flatnonzero(ends[:main] > main)[::-1].tolist()]
    stops: list[int] | None = None
    for level, post in enumerate(chain[: POST_MAX_LEVELS + 1]):
        signature = kind(class_of[post])
        # Posts lie beside one another: the children of the post's grandparent's children (its parent
        # is often a post's own wrapper). Lines of prose must lie there besides the post's own.
        if not signature or level + 2 >= len(chain) or prose_in(chain[level + 2]) - prose_in(post) < MIN_PROSE_REPLIES:
            continue
        stops = ends.tolist() if stops is None else stops
        posts = [number for number in _grandchildren(stops, chain[level + 2]) if kind(class_of[number]) == signature]
        if len(posts) < MIN_POSTS:
            continue
        # Posts are written from one template: the kinds of element inside them are much the same.
        inner = _inner_kinds(kind, class_of, stops, post)
        posts = [
            number for number in posts if _likeness(inner, _inner_kinds(kind, class_of, stops, number)) >= MIN_LIKENESS
        ]
        replies = [number for number in posts if number != post]
        if len(posts) >= MIN_POSTS and sum(prose_in(number) > 0 for number in replies) >= MIN_PROSE_REPLIES:
            for number in replies:
                marked[first[number] : last[number]] = True
            return marked
    return marked


def _grandchildren(stops: list[int], number: int) -> list[int]:
    """The children of the children of element ``number`` (``stops``: one past each element's subtree)."""
    found = []
    child = number + 1
    while child < stops[number]:
        grandchild = child + 1
        while grandchild < stops[child]:
            found.append(grandchild)
            grandchild = stops[grandchild]
        child = stops[child]
    return found


def _inner_kinds(kind: Callable[[int], str], class_of: Sequence[int], stops: list[int], number: int) -> frozenset[str]:
    """The kinds (``kind`` of each class value: :func:`class_signature`) of the elements inside element ``number``."""
    # Each class value once: most of a post's elements share a few (or have none).
    return frozenset(map(kind, set(class_of[number + 1 : stops[number]]))) - {""}


def _likeness(one: frozenset[str], other: frozenset[str]) -> float:
    """The share of the kinds inside either of two elements that are inside both (1 when neither holds any)."""
    either = one | other
    return len(one & other) / len(either) if either else 1.0

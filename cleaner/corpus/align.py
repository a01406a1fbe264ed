"""The aligner: labels a page's rendered lines from its gold text, so that the public corpora can train
the line classifier; and the agreement of those labels with the gold, per corpus."""

from __future__ import annotations

import os
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from cleaner.corpus.pages import CorpusPage, align_tokens, iter_corpus_pages
from cleaner.corpus.render import RENDERERS
from cleaner.corpus.scoring import page_f1
from cleaner.errors import OptionsError
from cleaner.records import BLANK_LABEL, DEFAULT_KEEP

# Tokens of the n-grams that place a line in the gold (a line with fewer tokens is a "short" line).
ALIGN_GRAM = 3
# A long line is main text when this share of its 3-grams are found, in order, along one stretch of the gold
# (measured: 0.3 to 0.6 give the same agreement within 0.002; 0.7 starts to lose lines).
MIN_COVERAGE = 0.5
# Tokens a 3-gram may stray from where the previous one predicts (words the annotator added or dropped).
DIAGONAL_SLACK = 4
# Diagonals (gold position - line offset) tried as starting points per line: a line repeated in the gold
# matches once per repetition.
MAX_DIAGONALS = 8
# A diagonal is tried only if its own votes times this could reach MIN_COVERAGE (drift spreads the votes).
MAX_DRIFT_GAIN = 8
# Occurrences of one 3-gram that vote (bounds the work on very repetitive gold texts).
MAX_GRAM_OCCURRENCES = 50
# Tokens two consecutive lines' gold spans may overlap in the in-order chain.
CHAIN_OVERLAP = 2
# Lines at least this long are main text even out of the page's order, if their gold is not taken yet.
OUT_OF_ORDER_MIN_TOKENS = 8
# Largest share of such a line's gold span that other lines may already have taken.
MAX_TAKEN_SHARE = 0.5
# Short lines must sit within this many gold tokens of a neighbouring matched line.
ADJACENT_SLACK = 3
# Main lines whose tokens overlap an l3s headline segment this much are headings.
HEADLINE_OVERLAP = 0.8


@dataclass(frozen=True, slots=True)
class Alignment:
    """Labels of a page's lines derived from its gold text, and how well the main lines reproduce the gold."""

    labels: tuple[str, ...]
    agreement: float
    """Benchmark F1 (:func:`cleaner.corpus.scoring.page_f1`) of the body and heading lines against the gold."""


class _Stream:
    """A gold token stream, indexed by the 3-grams and words the page's lines ask for, with the positions taken."""

    __slots__ = ("tokens", "words", "grams", "taken")

    def __init__(self, tokens: list[str], grams: set[tuple[str, ...]], words: set[str]) -> None:
        self.tokens = tokens
        self.words: dict[str, list[int]] = {word: [] for word in words}
        for position, token in enumerate(tokens):
            if token in words:
                self.words[token].append(position)
        self.grams: dict[tuple[str, ...], list[int]] = {gram: [] for gram in grams}
        for position, gram in enumerate(zip(*(tokens[k:] for k in range(ALIGN_GRAM)))):
            if gram in grams:
                self.grams[gram].append(position)
        self.taken = bytearray(len(tokens))

    def stretches(self, tokens: list[str]) -> list[tuple[int, int, int]]:
        """(start, end, matched 3-grams) of the gold stretches a long line matches, best first.

        Each 3-gram of the line votes for the diagonal (gold position - line offset) it occurs on. From the
        3-grams on each of the best diagonals, a walk forwards and backwards through the line keeps the
        3-grams found within :data:`DIAGONAL_SLACK` tokens of where the last kept one predicts, so the
        stretch may drift (annotators' glued or dropped words). A stretch counts when at least
        :data:`MIN_COVERAGE` of the line's 3-grams are kept; a line repeated in the gold has one stretch
        per repetition.
        """
        grams = list(zip(*(tokens[k:] for k in range(ALIGN_GRAM))))
        need = MIN_COVERAGE * len(grams)
        hits = [self.grams[gram] for gram in grams]
        votes: dict[int, int] = {}
        anchors: dict[int, int] = {}
        for offset, positions in enumerate(hits):
            if positions:
                for position in positions[:MAX_GRAM_OCCURRENCES]:
                    diagonal = position - offset
                    votes[diagonal] = votes.get(diagonal, 0) + 1
                    anchors.setdefault(diagonal, offset)
        found: list[tuple[int, int, int]] = []
        for diagonal in sorted(votes, key=votes.__getitem__, reverse=True)[:MAX_DIAGONALS]:
            if votes[diagonal] * MAX_DRIFT_GAIN < need:
                break
            if any(start <= diagonal + anchors[diagonal] < end for start, end, _ in found):
                continue  # this anchor already lies in a stretch found
            stretch = self._walk(hits, anchors[diagonal], diagonal + anchors[diagonal])
            if stretch[2] >= need:
                found.append(stretch)
        return sorted(found, key=lambda stretch: -stretch[2])

    @staticmethod
    def _walk(hits: list[list[int]], anchor: int, position: int) -> tuple[int, int, int]:
        """Follow a line's 3-gram hits out from ``anchor`` (found at gold ``position``), allowing drift."""
        matched, start, end = 1, position, position + ALIGN_GRAM
        for step in (1, -1):
            last_offset, last_position = anchor, position
            offset = anchor + step
            while 0 <= offset < len(hits):
                positions = hits[offset]
                if positions:
                    expected = last_position + offset - last_offset
                    at = bisect_left(positions, expected - DIAGONAL_SLACK)
                    if at < len(positions) and positions[at] <= expected + DIAGONAL_SLACK:
                        # of the hits in the window, take the one closest to the expected position
                        best = positions[at]
                        while at + 1 < len(positions) and positions[at + 1] <= expected + DIAGONAL_SLACK:
                            at += 1
                            if abs(positions[at] - expected) < abs(best - expected):
                                best = positions[at]
                        matched += 1
                        last_offset, last_position = offset, best
                        start, end = min(start, best), max(end, best + ALIGN_GRAM)
                offset += step
        return start, end, matched

    def occurrences(self, tokens: list[str]) -> list[int]:
        """Start positions where a short line's tokens occur contiguously."""
        rest, stream, size = tokens[1:], self.tokens, len(tokens)
        return [p for p in self.words[tokens[0]] if stream[p + 1 : p + size] == rest]

    def free(self, start: int, end: int) -> bool:
        return not any(self.taken[start:end])

    def take(self, start: int, end: int) -> None:
        self.taken[start:end] = b"\x01" * (end - start)


def _chain(candidates: list[tuple[int, int, int, int]]) -> list[int]:
    """Heaviest in-order chain of (line, start, end, weight) candidates, as indices into ``candidates``.

    ``candidates`` are sorted by line; a line may have several (one per gold stretch it matches), at most
    one of which enters the chain. Each line's gold span must start where the previous one's ends (up to
    :data:`CHAIN_OVERLAP`): a weighted longest increasing subsequence, O(n log n) with a Fenwick tree of
    prefix maxima over span ends. Ties go to the candidate latest in the page, so a title repeated in a menu
    loses to the one just above the article.
    """
    if not candidates:
        return []
    ends = sorted({end for _, _, end, _ in candidates})
    tree: list[tuple[int, int]] = [(0, -1)] * (len(ends) + 1)  # Fenwick tree of (best score, candidate)
    best: list[int] = [0] * len(candidates)
    back: list[int] = [-1] * len(candidates)
    k = 0
    while k < len(candidates):
        line = candidates[k][0]
        group = k
        while group < len(candidates) and candidates[group][0] == line:
            group += 1
        for c in range(k, group):  # query before inserting the line's own candidates
            _, start, _, weight = candidates[c]
            top, node = (0, -1), bisect_right(ends, start + CHAIN_OVERLAP)
            while node > 0:
                top = max(top, tree[node])
                node -= node & -node
            best[c], back[c] = top[0] + weight, top[1]
        for c in range(k, group):
            node = bisect_left(ends, candidates[c][2]) + 1
            while node < len(tree):
                tree[node] = max(tree[node], (best[c], c))
                node += node & -node
        k = group
    c = max(range(len(candidates)), key=lambda i: (best[i], i))
    chain: list[int] = []
    while c >= 0:
        chain.append(c)
        c = back[c]
    return chain[::-1]


def _match_lines(tokens: Sequence[list[str]], eligible: Sequence[int], gold: list[str]) -> dict[int, tuple[int, int]]:
    """Lines (among ``eligible``) whose text is in the ``gold`` token stream, with the gold span each takes."""
    if not gold:
        return {}
    grams = {gram for i in eligible for gram in zip(*(tokens[i][k:] for k in range(ALIGN_GRAM)))}
    words = {tokens[i][0] for i in eligible if 0 < len(tokens[i]) < ALIGN_GRAM}
    stream = _Stream(gold, grams, words)
    candidates: list[tuple[int, int, int, int]] = []
    for i in eligible:
        line = tokens[i]
        if len(line) >= ALIGN_GRAM:
            candidates.extend((i, start, end, matched) for start, end, matched in stream.stretches(line))
    matched: dict[int, tuple[int, int]] = {}
    for k in _chain(candidates):
        i, start, end, _ = candidates[k]
        matched[i] = (start, end)
        stream.take(start, end)
    for i, start, end, _ in candidates:
        if i not in matched and len(tokens[i]) >= OUT_OF_ORDER_MIN_TOKENS:
            if sum(stream.taken[start:end]) <= MAX_TAKEN_SHARE * (end - start):
                matched[i] = (start, end)
                stream.take(start, end)
    short = [i for i in eligible if 0 < len(tokens[i]) < ALIGN_GRAM]
    if not short:
        return matched
    places = {i: stream.occurrences(tokens[i]) for i in short}
    # Backward: a short line right before the next matched line (a heading before its paragraph, taken
    # before a table of contents above can claim it); then forward: right after the previous matched line.
    for order, forward in ((sorted(eligible, reverse=True), False), (sorted(eligible), True)):
        cursor = -1
        for i in order:
            if i in matched:
                cursor = matched[i][1] if forward else matched[i][0]
                continue
            if cursor < 0 or i not in places:
                continue
            size = len(tokens[i])
            for p in places[i]:
                if forward:
                    near = cursor <= p <= cursor + ADJACENT_SLACK
                else:
                    near = cursor - ADJACENT_SLACK <= p + size <= cursor
                if near and stream.free(p, p + size):
                    matched[i] = (p, p + size)
                    stream.take(p, p + size)
                    cursor = p + size if forward else p
                    break
    return matched


def _overlap(line: list[str], other: list[str]) -> float:
    """Shared tokens (as multisets) over the longer of the two token lists."""
    if not line or not other:
        return 0.0
    counts = Counter(other)
    shared = 0
    for token in line:
        if counts[token] > 0:
            counts[token] -= 1
            shared += 1
    return shared / max(len(line), len(other))


def align_lines(lines: Sequence[str], page: CorpusPage) -> Alignment:
    """Label each of a page's rendered ``lines`` by matching it against the page's gold text.

    Both sides are compared as case-folded ``\\w+`` tokens (so whitespace, punctuation, quotes, bullets
    and "?"-for-quote mojibake do not matter). A line of 3 or more tokens is a candidate when at least half
    of its token 3-grams are found in order along one stretch of the gold (:meth:`_Stream.stretches`);
    candidates are main text when their gold stretches follow page order (the heaviest such chain, each
    stretch of gold used once; lines of 8+ tokens may also match out of order where the gold is still
    free). A line of 1-2 tokens is main text only where it occurs in the gold right next to the stretch of
    a neighbouring main line, so "Home" or "Share" elsewhere in the gold does not count.

    Main lines are "body" ("heading" when they match an l3s headline segment); of the other lines, those
    matching l3s comment segments or dragnet comments are "comment", those matching l3s related segments
    "related", and the rest "nav". Blank lines get "-".
    """
    tokens = [align_tokens(line) for line in lines]
    labels = [BLANK_LABEL if not line.strip() else "nav" for line in lines]
    eligible = [i for i, line in enumerate(lines) if tokens[i]]
    main = _match_lines(tokens, eligible, align_tokens(page.gold))
    headlines = [align_tokens(text) for label, text in page.segments if label == "headline"]
    for i in main:
        heading = any(_overlap(tokens[i], headline) >= HEADLINE_OVERLAP for headline in headlines)
        labels[i] = "heading" if heading else "body"
    comments = "\n".join([text for label, text in page.segments if label == "comments"] + [page.comments])
    related = "\n".join(text for label, text in page.segments if label == "related")
    for label, text in (("comment", comments), ("related", related)):
        rest = [i for i in eligible if labels[i] == "nav"]
        if text.strip() and rest:
            for i in _match_lines(tokens, rest, align_tokens(text)):
                labels[i] = label
    kept = "\n".join(line for line, label in zip(lines, labels) if label in DEFAULT_KEEP)
    return Alignment(labels=tuple(labels), agreement=page_f1(kept, page.gold))


# Pages whose alignment agreement is below this are left out of training. Measured on all 2,919 pages with
# three renderings (html-text, inscriptis, cleaner.html), agreement is 1.0 for most pages; between 0.8 and
# 0.9 the misses are mostly on the gold side (paragraphs the annotators left out or added, duplicated gold,
# leftover glued words) or lines that mix article and menu text, and the labels are still sound. Below 0.8
# the page is usually broken for alignment: the renderer produced nothing or one giant line, the gold
# belongs to another version of the page, or half the gold is missing from the rendering. 0.8 drops about
# 1% of the pages rendered by html-text or cleaner.html, and 3% of those rendered by inscriptis.
MIN_AGREEMENT = 0.8
# Agreement levels counted in the summary table.
REPORTED_LEVELS: tuple[float, ...] = (0.8, 0.9)


def agreement_table(by_corpus: dict[str, list[float]], levels: Sequence[float] = REPORTED_LEVELS) -> str:
    """A text table: per corpus, pages, mean agreement, and pages below each level and below MIN_AGREEMENT."""
    levels = sorted(set(levels) | {MIN_AGREEMENT})
    header = ["corpus", "pages", "mean"]
    header += [f"<{level:g}" + (" (dropped)" if level == MIN_AGREEMENT else "") for level in levels]
    rows = [header]
    for corpus, values in by_corpus.items():
        rows.append(
            [corpus, str(len(values)), f"{sum(values) / len(values):.3f}" if values else "-"]
            + [str(sum(value < level for value in values)) for level in levels]
        )
    widths = [max(len(row[k]) for row in rows) for k in range(len(header))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows)


def _agreement(job: tuple[str, CorpusPage]) -> tuple[str, str, float]:
    name, page = job
    return name, page.corpus, align_lines(RENDERERS[name](page.html), page).agreement


def agreement_by_renderer(
    root: str | os.PathLike[str] | None = None,
    corpora: Sequence[str] | None = None,
    renderers: Sequence[str] | None = None,
    limit: int | None = None,
    jobs: int = 1,
) -> dict[str, dict[str, list[float]]]:
    """The alignment agreement of every page, by renderer, then by corpus."""
    names = list(renderers or RENDERERS)
    unknown = [name for name in names if name not in RENDERERS]
    if unknown:
        raise OptionsError(f"unknown renderers {', '.join(unknown)}; known: {', '.join(RENDERERS)}")
    pages = list(iter_corpus_pages(root, corpora, limit))
    work = [(name, page) for name in names for page in pages]
    if jobs > 1:
        from joblib import Parallel, delayed

        done = Parallel(n_jobs=jobs, batch_size=8)(delayed(_agreement)(job) for job in work)
    else:
        done = [_agreement(job) for job in work]
    out: dict[str, dict[str, list[float]]] = {name: {} for name in names}
    for name, corpus, agreement in done:
        out[name].setdefault(corpus, []).append(agreement)
    return out

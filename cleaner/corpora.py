"""Public boilerplate-removal corpora: a streaming reader, and an aligner that labels rendered lines from gold text.

The corpora folder holds one gzipped JSON-lines file per data set (``<name>.jsonl.gz``), one page a record:
``id``, ``corpus``, ``url`` (may be null), ``html`` and ``gold`` (the page's main text as written by human
annotators, paragraphs separated by newlines); ``l3s-gn1`` records add ``segments`` (``{label, text}`` with
labels headline, fulltext, supplemental, related, comments) and ``dragnet`` records add ``comments`` (the
page's user comments). The data stays outside the repository: it is read from a folder given by argument,
by the ``CLEANER_CORPORA`` environment variable, or ``../shared/corpora`` from the current directory.
"""

from __future__ import annotations

import gzip
import html as html_lib
import json
import os
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlsplit

from cleaner.errors import InputError
from cleaner.lines import BLANK_LABEL, DEFAULT_KEEP
from cleaner.metrics import page_f1

# The data sets, in the order they are read by default.
CORPORA: tuple[str, ...] = ("cleaneval", "cleanportaleval", "dragnet", "l3s-gn1", "readability")
# Environment variable naming the corpora folder.
CORPORA_ENV = "CLEANER_CORPORA"
# Default corpora folder, relative to the current directory.
DEFAULT_CORPORA_DIR = Path("..") / "shared" / "corpora"
# File name of a corpus in the corpora folder.
CORPUS_FILE = "{name}.jsonl.gz"


def default_corpora_dir() -> Path:
    """The corpora folder: ``$CLEANER_CORPORA`` when set, else ``../shared/corpora`` from the current directory."""
    env = os.environ.get(CORPORA_ENV, "").strip()
    return Path(env) if env else Path.cwd() / DEFAULT_CORPORA_DIR


# ---------------------------------------------------------------------------------------------------------
# Text repair


# cp1252 characters that stand for the bytes 0x80..0x9F (Latin-1 gives the C1 controls for those bytes instead).
_CP1252_HIGH = (
    "\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u017d"
    "\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e\u0178"
)
# A UTF-8 continuation byte (0x80..0xBF) read as Latin-1 or cp1252.
_CONT = "[\u0080-\u00bf" + _CP1252_HIGH + "]"
# A UTF-8 sequence read as cp1252/Latin-1: a lead byte (2-, 3- or 4-byte form) followed by its continuations.
_MOJIBAKE_RE = re.compile(f"[\u00c2-\u00df]{_CONT}|[\u00e0-\u00ef]{_CONT}{{2}}|[\u00f0-\u00f4]{_CONT}{{3}}")
# Some pages were decoded wrongly twice ("\u00c3\u0082\u00c2\u00a0" for a no-break space): repair at most this often.
_MOJIBAKE_PASSES = 2
# C1 control characters: cp1252 punctuation (0x92 for "’") in text decoded as Latin-1.
_C1_RE = re.compile("[\u0080-\u009f]")
# A quick test for either kind of damage (searching for it is several times faster than repairing).
# (one leading character class lets the regex engine skip ahead fast; the lookbehind accepts a lone C1).
_DAMAGE_RE = re.compile(f"[\u0080-\u009f\u00c2-\u00f4](?:(?<=[\u0080-\u009f])|{_CONT})")


def _unmojibake(match: re.Match[str]) -> str:
    chars = match.group(0)
    raw = bytes(ord(c) if ord(c) < 0x100 else c.encode("cp1252")[0] for c in chars)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return chars


def _c1_to_cp1252(match: re.Match[str]) -> str:
    try:
        return bytes([ord(match.group(0))]).decode("cp1252")
    except UnicodeDecodeError:
        return ""  # bytes cp1252 leaves undefined carry no text


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 text decoded as cp1252 or Latin-1 ("â€™" → "’", "Ã©" → "é"), and cp1252 read as Latin-1.

    Only character runs that re-encode to valid UTF-8 sequences are changed, so ordinary accented text
    ("grâce", Czech "áš") is left alone; C1 control characters left over are read as cp1252 ("\\x92" → "’").
    """
    if text.isascii() or not _DAMAGE_RE.search(text):
        return text
    for _ in range(_MOJIBAKE_PASSES):
        repaired = _MOJIBAKE_RE.sub(_unmojibake, text)
        if repaired == text:
            break
        text = repaired
    return _C1_RE.sub(_c1_to_cp1252, text)


# Tokens compared by the aligner (Unicode word characters, as the benchmark metric).
_WORD_RE = re.compile(r"\w+")


def align_tokens(text: str) -> list[str]:
    """Tokens the aligner compares: ``\\w+`` runs of the repaired, NFKC-normalised, case-folded text."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", repair_mojibake(text))
    return _WORD_RE.findall(text.casefold())


def _clean_text(text: str | None) -> str:
    """Gold-side text as written by annotators: HTML entities decoded ("&#039;" in cleanportaleval), mojibake undone."""
    if not text:
        return ""
    if "&" in text:
        text = html_lib.unescape(text)
    return repair_mojibake(text)


# ---------------------------------------------------------------------------------------------------------
# Reader


@dataclass(frozen=True, slots=True)
class CorpusPage:
    """One page of a corpus, with its gold main text."""

    id: str
    corpus: str
    site: str
    """Host of the page (without "www."), or the page id when no host can be recovered."""
    url: str | None
    html: str
    gold: str
    segments: tuple[tuple[str, str], ...] = ()
    """l3s-gn1 only: (label, text) of the annotated segments, in page order."""
    comments: str = ""
    """dragnet only: the text of the page's user comments."""


# The part of a page searched for a canonical address.
_HEAD_CHARS = 50_000
_TAG_RE = re.compile(r"<(?:link|meta|base)\b[^>]*>", re.IGNORECASE)
_ATTR_RE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
# A host name at the start of an id's last part: "bbc.co.uk_news_01" → "bbc.co.uk".
_ID_HOST_RE = re.compile(r"^((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,})(?=$|[_/])", re.IGNORECASE)


def _host(url: str | None) -> str:
    """Lower-cased host of an http(s) address without a leading "www.", or "" when there is none."""
    if not url:
        return ""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
    except ValueError:
        return ""
    if parts.scheme not in ("http", "https", "") or "." not in host:
        return ""
    return host[4:] if host.startswith("www.") else host


def _canonical_url(html: str) -> str:
    """The page's own address from its markup: link rel=canonical, meta og:url, or base href."""
    found: dict[str, str] = {}
    for tag in _TAG_RE.finditer(html, 0, _HEAD_CHARS):
        attrs = {
            m.group(1).lower(): html_lib.unescape(m.group(2) or m.group(3) or m.group(4) or "")
            for m in _ATTR_RE.finditer(tag.group(0))
        }
        name = tag.group(0)[1:5].lower()
        if name == "link" and "canonical" in attrs.get("rel", "").lower().split():
            found.setdefault("canonical", attrs.get("href", ""))
        elif name == "meta" and attrs.get("property", attrs.get("name", "")).lower() == "og:url":
            found.setdefault("og", attrs.get("content", ""))
        elif name == "base":
            found.setdefault("base", attrs.get("href", ""))
    for key in ("canonical", "og", "base"):
        if _host(found.get(key)):
            return found[key]
    return ""


def page_site(page_id: str, url: str | None, html: str = "") -> str:
    """The site a page belongs to, used to keep a site's pages on one side of a train/test split.

    The host of ``url`` (without "www."); else a host at the start of the id's last part
    ("CleanPortalEval-master/bbc.co.uk_news_01" → "bbc.co.uk"); else the host of the canonical address
    the page declares (link rel=canonical, og:url, base href); else the page id itself.
    """
    host = _host(url)
    if host:
        return host
    match = _ID_HOST_RE.match(page_id.rsplit("/", 1)[-1])
    if match:
        host = match.group(1).lower()
        return host[4:] if host.startswith("www.") else host
    host = _host(_canonical_url(html)) if html else ""
    return host or page_id


# Markup whose text is not shown, and tags, for the page vocabulary.
_HIDDEN_RE = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL)
_ANY_TAG_RE = re.compile(r"<[^>]*>")
# Glued tokens shorter than this are left alone.
_MIN_GLUED_CHARS = 3


def _page_vocabulary(html: str) -> set[str]:
    """Aligner tokens of the text of ``html`` (tags dropped, entities decoded): what the page can show."""
    text = html_lib.unescape(_ANY_TAG_RE.sub(" ", _HIDDEN_RE.sub(" ", html)))
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)  # the html is repaired already
    return set(_WORD_RE.findall(text.casefold()))


def unglue(gold: str, vocabulary: set[str]) -> str:
    """Put back spaces the annotators lost at line wraps: "thinksof" → "thinks of".

    A word of ``gold`` that is not in the page's ``vocabulary`` (aligner tokens) is split in two when both
    halves are; of several such splits the most balanced is taken. CleanEval gold texts glue the words at
    the original line breaks this way (about 8,000 words in 1.8 million); the other corpora have a few
    dozen glued words each ("230comments", "willingto"). The aligner and the benchmark metric compare
    tokens, so a glued word would cost the page several 4-gram shingles.
    """
    cuts: dict[str, int] = {}
    for word in set(align_tokens(gold)) - vocabulary:
        if len(word) < _MIN_GLUED_CHARS:
            continue
        best = 0
        for k in range(1, len(word)):
            if min(k, len(word) - k) > best and word[:k] in vocabulary and word[k:] in vocabulary:
                best, cuts[word] = min(k, len(word) - k), k
    if not cuts:
        return gold
    glued = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, cuts)) + r")(?!\w)", re.IGNORECASE)

    def split(match: re.Match[str]) -> str:
        word = match.group(0)
        cut = cuts.get(word.casefold(), 0)
        return f"{word[:cut]} {word[cut:]}" if cut else word

    return glued.sub(split, gold)


# l3s-gn1 segments whose texts make up the gold text, in page order.
_L3S_GOLD_LABELS = ("headline", "fulltext")


def _l3s_segments(segments: list[tuple[str, str]], gold: str) -> tuple[list[tuple[str, str]], str]:
    """The segments and gold text without the l3s-gn1 conversion's nested segments.

    l3s-gn1 annotates nested elements: a container's segment holding a whole article is followed by a
    segment for each of its paragraphs, each often repeated two or three times (about 5,900 immediate
    repeats in 621 pages, while the rendered pages repeat only a few dozen of those paragraphs). A segment
    whose text (whitespace aside) lies within the last segment kept is dropped. When the record's gold is the
    plain join of its headline and fulltext segments (true for every page of the corpus) it is rebuilt from
    what is left.
    """
    kept: list[tuple[str, str]] = []
    container = ""
    for label, text in segments:
        flat = " ".join(text.split())
        if flat and flat in container:
            continue
        kept.append((label, text))
        container = flat
    if gold.strip() == "\n".join(text for label, text in segments if label in _L3S_GOLD_LABELS).strip():
        gold = "\n".join(text for label, text in kept if label in _L3S_GOLD_LABELS)
    return kept, gold


def _page_from_record(record: object, corpus: str, where: str, raw: bool = False) -> CorpusPage:
    if not isinstance(record, dict):
        raise InputError(f"{where}: a record is not a JSON object")
    try:
        page_id = str(record["id"])
        html = record["html"]
        gold = record["gold"]
    except KeyError as error:
        raise InputError(f"{where}: record without {error.args[0]!r}") from None
    if not isinstance(html, str) or not isinstance(gold, str):
        raise InputError(f"{where}: html and gold must be strings")
    url = record.get("url") or None
    raw_segments = [
        (str(segment.get("label", "")), str(segment.get("text") or ""))
        for segment in record.get("segments") or ()
        if isinstance(segment, dict)
    ]
    comments = str(record.get("comments") or "")
    if not raw:
        if raw_segments:
            raw_segments, gold = _l3s_segments(raw_segments, gold)
        html = repair_mojibake(html)
        gold = _clean_text(gold)
        if gold:
            gold = unglue(gold, _page_vocabulary(html))
        raw_segments = [(label, _clean_text(text)) for label, text in raw_segments]
        comments = _clean_text(comments)
    return CorpusPage(
        id=page_id,
        corpus=str(record.get("corpus") or corpus),
        site=page_site(page_id, url, html),
        url=url,
        html=html,
        gold=gold,
        segments=tuple(raw_segments),
        comments=comments,
    )


def iter_corpus_pages(
    root: str | os.PathLike[str] | None = None,
    corpora: Sequence[str] | None = None,
    limit: int | None = None,
    *,
    raw: bool = False,
) -> Iterator[CorpusPage]:
    """Stream the pages of ``corpora`` (default: all of :data:`CORPORA`) from the folder ``root``.

    ``limit`` caps the number of pages read from *each* corpus. Unless ``raw``, text fields are repaired
    as they are read: mojibake (UTF-8 read as cp1252/Latin-1) is undone in the HTML and the gold texts, HTML
    entities in the gold texts are decoded, words glued in the gold are split (:func:`unglue`), and
    l3s-gn1's nested segments are dropped (:func:`_l3s_segments`). ``raw=True`` gives the records as
    stored (about four times faster). Raises :class:`InputError` for a missing folder or file, an unknown
    corpus name or a malformed record.
    """
    folder = Path(root) if root is not None else default_corpora_dir()
    names = tuple(corpora) if corpora is not None else CORPORA
    unknown = [name for name in names if name not in CORPORA]
    if unknown:
        raise InputError(f"unknown corpus {', '.join(unknown)}; known corpora: {', '.join(CORPORA)}")
    if not folder.is_dir():
        raise InputError(f"corpora folder not found: {folder} (set {CORPORA_ENV} or pass the folder)")
    paths = [folder / CORPUS_FILE.format(name=name) for name in names]
    missing = [str(path) for path in paths if not path.is_file()]
    if missing:
        raise InputError(f"corpus file not found: {', '.join(missing)}")
    for name, path in zip(names, paths):
        count = 0
        try:
            with gzip.open(path, "rt", encoding="utf-8") as lines:
                for number, line in enumerate(lines, 1):
                    if limit is not None and count >= limit:
                        break
                    if not line.strip():
                        continue
                    where = f"{path}:{number}"
                    try:
                        record = json.loads(line)
                    except json.JSONDecodeError as error:
                        raise InputError(f"{where}: not JSON ({error.msg})") from None
                    yield _page_from_record(record, name, where, raw)
                    count += 1
        except (OSError, EOFError, UnicodeDecodeError) as error:
            raise InputError(f"cannot read {path}: {error}") from error


# ---------------------------------------------------------------------------------------------------------
# Plain-text renderers used to measure the aligner (optional dependencies, imported when called)

# Characters XML (hence lxml) refuses; a few corpus pages contain them (NUL, vertical tab, form feed, ...).
_XML_INVALID_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# An XML declaration with an encoding, which lxml refuses in an already decoded string.
_XML_DECLARATION_RE = re.compile(r"^\s*<\?xml\b[^>]*>")


def lxml_safe(html: str) -> str:
    """``html`` without what lxml refuses in a str: control characters and a leading XML declaration."""
    return _XML_INVALID_RE.sub(" ", _XML_DECLARATION_RE.sub("", html, count=1))


def render_html_text(html: str) -> list[str]:
    """Lines of ``html_text.extract_text(html, guess_layout=True)``."""
    import html_text  # optional dependency

    return html_text.extract_text(lxml_safe(html), guess_layout=True).split("\n")


def render_inscriptis(html: str) -> list[str]:
    """Lines of ``inscriptis.get_text(html)``."""
    import inscriptis  # optional dependency

    return inscriptis.get_text(lxml_safe(html)).split("\n")


def render_segmenter(html: str) -> list[str]:
    """Lines (blocks) of the project's own segmenter, :func:`cleaner.html.segment_html`."""
    from cleaner.html import segment_html  # written alongside this module

    return [line.text for line in segment_html(html)]


# ---------------------------------------------------------------------------------------------------------
# Aligner: label rendered lines from the gold text

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
    """Benchmark F1 (:func:`cleaner.metrics.page_f1`) of the body and heading lines against the gold."""


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
        return [p for p in self.words[tokens[0]] if stream[p + 1:p + size] == rest]

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


def _match_lines(
    tokens: Sequence[list[str]], eligible: Sequence[int], gold: list[str]
) -> dict[int, tuple[int, int]]:
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


# ---------------------------------------------------------------------------------------------------------
# Aligned pages for training, and the agreement figures

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

Renderer = Callable[[str], Sequence[str]]


def aligned_pages(
    render: Renderer,
    pages: Iterable[CorpusPage] | None = None,
    *,
    min_agreement: float = MIN_AGREEMENT,
    root: str | os.PathLike[str] | None = None,
    corpora: Sequence[str] | None = None,
    limit: int | None = None,
) -> Iterator[tuple[CorpusPage, list[str], Alignment]]:
    """(page, lines, alignment) for the pages whose ``render(html)`` lines align with their gold text.

    ``pages`` defaults to :func:`iter_corpus_pages` of ``root``/``corpora``/``limit``. Pages whose
    agreement is below ``min_agreement`` are skipped.
    """
    source = pages if pages is not None else iter_corpus_pages(root, corpora, limit)
    for page in source:
        lines = list(render(page.html))
        alignment = align_lines(lines, page)
        if alignment.agreement >= min_agreement:
            yield page, lines, alignment


def page_agreement(page: CorpusPage, render: Renderer) -> float:
    """Alignment agreement of one page as rendered by ``render``."""
    return align_lines(list(render(page.html)), page).agreement


def agreement_by_corpus(pages: Iterable[CorpusPage], render: Renderer) -> dict[str, list[float]]:
    """Alignment agreement of every page, grouped by corpus."""
    out: dict[str, list[float]] = {}
    for page in pages:
        out.setdefault(page.corpus, []).append(page_agreement(page, render))
    return out


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


# Renderers measured by ``python -m cleaner.corpora``, by name.
RENDERERS: Mapping[str, Renderer] = MappingProxyType(
    {"html-text": render_html_text, "inscriptis": render_inscriptis, "cleaner": render_segmenter}
)


def _agreements(job: tuple[str, CorpusPage]) -> tuple[str, str, float]:
    name, page = job
    return name, page.corpus, page_agreement(page, RENDERERS[name])


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m cleaner.corpora``: print the alignment agreement table of each renderer."""
    import argparse
    from concurrent.futures import ProcessPoolExecutor

    parser = argparse.ArgumentParser(prog="python -m cleaner.corpora", description=main.__doc__)
    parser.add_argument("--root", help=f"corpora folder (default: ${CORPORA_ENV} or {DEFAULT_CORPORA_DIR})")
    parser.add_argument("--corpus", action="append", choices=CORPORA, help="corpus to read (repeatable)")
    parser.add_argument("--renderer", action="append", choices=sorted(RENDERERS), help="renderer (repeatable)")
    parser.add_argument("--limit", type=int, help="pages per corpus")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes")
    args = parser.parse_args(argv)
    names = args.renderer or list(RENDERERS)
    pages = list(iter_corpus_pages(args.root, args.corpus, args.limit))
    jobs = [(name, page) for name in names for page in pages]
    results: dict[str, dict[str, list[float]]] = {name: {} for name in names}
    if args.jobs > 1:
        with ProcessPoolExecutor(args.jobs) as pool:
            done = list(pool.map(_agreements, jobs, chunksize=8))
    else:
        done = [_agreements(job) for job in jobs]
    for name, corpus, agreement in done:
        results[name].setdefault(corpus, []).append(agreement)
    for name in names:
        print(f"renderer: {name}\n{agreement_table(results[name])}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Public boilerplate-removal corpora: a streaming reader, with the repairs the gold texts need.

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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from cleaner.errors import InputError

# The data sets, in the order they are read by default.
CORPORA: tuple[str, ...] = (
    "cleaneval",
    "cleanportaleval",
    "dragnet",
    "l3s-gn1",
    "readability",
    "fundus",
    "msv",
    "googletrends2017",
    "magichtml",
)
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

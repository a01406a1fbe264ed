"""What the markup of a page says about it, outside JSON-LD: ``<meta>``, ``<link>``, ``<time>``, bylines.

:func:`read_tags` collects, in one pass over the tree, the signals :mod:`cleaner.metadata.document`
weighs first: the ``<meta>`` values by key (``name``, ``property``, ``itemprop`` or ``http-equiv``,
lower-case), the canonical link, ``<html lang>``, the ``<title>``, the first ``<h1>`` and the JSON-LD
scripts. The candidates for a date and an author written in the page itself come from a second pass,
made only when a field is still missing (:meth:`PageTags.candidates`; most pages say both in their
structured data or their ``<meta>``):

* dates: ``itemprop="datePublished"`` elements, ``<time pubdate>``, ``<time datetime>`` inside an
  article, a header or a byline-like container, then text of byline-like elements (class or id with
  "date", "byline", "time", "published", "meta"...);
* authors: ``itemprop="author"`` elements, ``rel="author"`` links, elements whose class or id says
  "author" or "byline".

Elements inside comments, navigation, footers, sidebars and related-article lists are passed over:
their dates and names belong to other texts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from lxml import etree

from cleaner.metadata.classwords import ClassWords, class_and_id
from cleaner.metadata.other_text import OtherText

__all__ = ["Candidates", "PageTags", "byline_text", "find_candidates", "read_tags", "text_of"]

# Strings longer than this are not metadata.
MAX_VALUE_CHARS = 2_000
# Candidates kept per kind: the first few are the ones that matter.
MAX_CANDIDATES = 20
# A byline or date element with more text than this is a container, not a byline.
MAX_BYLINE_CHARS = 200
# Text after which a byline goes on in the next text node ("By" <a>Jane Doe</a> "and" <a>John Roe</a>),
# and text that continues one.
_BYLINE_OPEN_RE = re.compile(
    r"(?:\b(?:by|and|und|et|y|von|par|por|di|da|door|av|af|author|autor|auteur|written by|posted by)|[,&;:/|])\s*$",
    re.IGNORECASE,
)
_BYLINE_CONTINUE_RE = re.compile(r"^\s*(?:[,&;/|]|(?:and|und|et|y|by)\b)", re.IGNORECASE)
# class / id words of byline-like elements (a date or an author written in the page).
_DATE_CLASS_WORDS = ClassWords(
    r"date|time|publish|posted|byline|dateline|article-?meta|post-?meta|entry-?meta|meta-?info|datum|"
    r"fecha|data|timestamp|pubdate|created",
)
_AUTHOR_CLASS_WORDS = ClassWords(r"author|byline|by-line|writer|autor|auteur|reporter|journalist|creator")
# ...but not these: "author-bio", "authors-list" of a site, avatar images, "date-picker", "update".
_NOT_BYLINE_WORDS = ClassWords(r"bio|avatar|image|img|photo|picker|update|modif|social|follow|twitter|email|more|list")
# Containers whose <time> elements describe the article.
_ARTICLE_TAGS = frozenset({"article", "header", "main"})
_ARTICLE_CLASS_WORDS = ClassWords(r"article|post|entry|story|content|main|headline|hero")


class Candidates(NamedTuple):
    """The dates and authors written in a page's own elements, in document order."""

    dates: list[tuple[str, int]]
    """(value, strength): strength 0 = itemprop datePublished / time[pubdate], 1 = time in an article
    part, 2 = text of a byline-like element; sorted by strength."""
    authors: list[str]


@dataclass
class PageTags:
    """Raw signals of one page, in document order; built by :func:`read_tags` and read once."""

    metas: dict[str, list[str]] = field(default_factory=dict)
    html_lang: str | None = None
    canonical: str | None = None
    base: str | None = None
    """The first ``<base href>``: what the page's relative URLs resolve against."""
    title: str | None = None
    heading: str | None = None
    jsonld: list[str] = field(default_factory=list)
    walk: Callable[[], Candidates] = field(default=lambda: Candidates([], []), repr=False)
    """The second pass over the page, :func:`find_candidates` (run by :meth:`candidates`)."""
    _candidates: Candidates | None = field(default=None, init=False, repr=False)

    def meta(self, *keys: str) -> list[str]:
        """The values of the given ``<meta>`` keys, key by key, in document order."""
        return [value for key in keys for value in self.metas.get(key, ())]

    def candidates(self) -> Candidates:
        """The page's date and author candidates, found on the first call (a walk over every element)."""
        if self._candidates is None:
            self._candidates = self.walk()
        return self._candidates


# Elements whose text is no text of the page.
_TEXTLESS_TAGS = frozenset({"script", "style"})


def text_of(element: etree._Element) -> str:
    """The text of an element, whitespace collapsed (scripts and styles left out), cut at
    :data:`MAX_VALUE_CHARS`: the text nodes of ``.//text()[not(ancestor::script) and
    not(ancestor::style)]``, read in document order only as far as that cut. (The XPath read every text
    node of the element and each one's ancestors: on the elements of a date or author class nested in
    one another, as an unclosed <span> in a template nests them, time grew as the cube of the depth.)"""
    parts: list[str] = []
    letters = 0  # characters other than white space: the collapsed text is at least this long
    walker = etree.iterwalk(element, events=("start", "end", "comment", "pi"))
    for event, node in walker:
        if event == "start":
            if node.tag in _TEXTLESS_TAGS:
                walker.skip_subtree()  # its end still comes, and its tail with it
                continue
            text = node.text
        elif node is element:  # the element's own tail is not its text
            continue
        else:  # an element's tail comes after its end, a comment's or instruction's after it
            text = node.tail
        if text:
            parts.append(text)
            letters += sum(map(len, text.split()))
            if letters > MAX_VALUE_CHARS:  # the cut is reached: no later text comes before it
                break
    return " ".join(" ".join(parts).split())[:MAX_VALUE_CHARS]


def byline_text(element: etree._Element) -> str:
    """The byline of an element: its text nodes, up to the first that neither ends nor continues a byline.

    ``<div class="byline">By <a>Jane Doe</a> and <a>John Roe</a><span>Staff writers</span></div>``
    gives "By Jane Doe and John Roe": the role in its own element is left out.
    """
    try:
        nodes = element.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]")
    except (etree.XPathError, ValueError):
        return ""
    text = ""
    for node in nodes:
        part = " ".join(str(node).split())
        if not part:
            continue
        if text and not _BYLINE_OPEN_RE.search(text) and not _BYLINE_CONTINUE_RE.match(part):
            break
        text = f"{text} {part}" if text else part
        if len(text) > MAX_VALUE_CHARS:
            break
    return text


def _attr(element: etree._Element, name: str) -> str:
    value = element.get(name)
    return " ".join(value.split())[:MAX_VALUE_CHARS] if value else ""


def _in_article(element: etree._Element) -> bool:
    node: etree._Element | None = element.getparent()
    while node is not None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _ARTICLE_TAGS:
            return True
        marks = class_and_id(node)
        if _DATE_CLASS_WORDS.search(marks) or _ARTICLE_CLASS_WORDS.search(marks):
            return True
        node = node.getparent()
    return False


def read_tags(root: etree._Element, other: OtherText | None = None) -> PageTags:
    """The signals of the page under ``root`` (see the module's docstring); ``other`` tells other text
    from the article's (a new :class:`OtherText` of ``root`` by default), for the candidates."""
    tags = PageTags()
    tags.html_lang = _attr(root, "lang") or _attr(root, "{http://www.w3.org/XML/1998/namespace}lang") or None
    for element in root.iter():
        tag = element.tag
        if not isinstance(tag, str):
            continue
        tag = tag.lower()
        if tag == "meta":
            _read_meta(element, tags.metas)
        elif tag == "link" and tags.canonical is None and "canonical" in _attr(element, "rel").lower().split():
            tags.canonical = _attr(element, "href") or None
        elif tag == "base" and tags.base is None:
            tags.base = _attr(element, "href") or None
        elif tag == "title" and tags.title is None:
            tags.title = text_of(element) or None
        elif tag == "h1" and tags.heading is None:
            tags.heading = text_of(element) or None
        elif tag == "script" and "ld+json" in _attr(element, "type").lower() and element.text:
            tags.jsonld.append(element.text)
    judge = other if other is not None else OtherText(root)
    tags.walk = lambda: find_candidates(root, judge)
    return tags


def find_candidates(root: etree._Element, other: OtherText) -> Candidates:
    """The date and author candidates written in the elements under ``root`` (see the module's
    docstring), those inside other text (``other``) left out."""
    dates: list[tuple[str, int]] = []
    authors: list[str] = []
    byline_words = _BylineWords()
    for element in root.iter():
        tag = element.tag
        if not isinstance(tag, str):
            continue
        tag = tag.lower()
        if tag in ("meta", "script"):
            continue  # never a date or an author candidate
        # Most elements have no class, id or itemprop (nor a rel, for a link): no candidate then, unless
        # a <time>. Passed over here, the many links and paragraphs of a page cost one lookup each.
        get = element.get
        if tag != "time" and get("class") is None and get("id") is None and get("itemprop") is None:
            if tag != "a" or get("rel") is None:
                continue
        itemprop = _attr(element, "itemprop").lower()
        class_value, id_value = get("class") or "", get("id") or ""
        date_marks = byline_words.say(_DATE_CLASS_WORDS, class_value, id_value)
        author_marks = byline_words.say(_AUTHOR_CLASS_WORDS, class_value, id_value)
        if not (itemprop or date_marks or author_marks or tag == "time" or tag == "a"):
            continue  # no candidate (most elements with a class)
        if len(dates) < MAX_CANDIDATES:
            _date_candidate(element, tag, itemprop, date_marks, dates, other)
        if len(authors) < MAX_CANDIDATES:
            _author_candidate(element, tag, itemprop, author_marks, authors, other)
        if len(dates) >= MAX_CANDIDATES and len(authors) >= MAX_CANDIDATES:
            break
    return Candidates(sorted(dates, key=lambda item: item[1]), authors)


class _BylineWords:
    """Whether a class and id name a byline's date or author (``words``) and not something else
    (:data:`_NOT_BYLINE_WORDS`), as their :func:`_marks` would: no word of these patterns holds a space,
    so the class and the id are searched apart, and each value's answer is remembered for the page
    (its elements share a few class names; ids, unique, are short)."""

    def __init__(self) -> None:
        self._found: dict[tuple[ClassWords, str], bool] = {}

    def say(self, words: ClassWords, class_value: str, id_value: str) -> bool:
        return (self._holds(words, class_value) or self._holds(words, id_value)) and not (
            self._holds(_NOT_BYLINE_WORDS, class_value) or self._holds(_NOT_BYLINE_WORDS, id_value)
        )

    def _holds(self, words: ClassWords, value: str) -> bool:
        if not value:
            return False
        key = (words, value)
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = words.search(value)
        return found


def _read_meta(element: etree._Element, metas: dict[str, list[str]]) -> None:
    content = _attr(element, "content") or _attr(element, "value")
    if not content:
        return
    for attribute in ("name", "property", "itemprop", "http-equiv"):
        key = _attr(element, attribute).lower()
        if key:
            for one in key.split():
                bucket = metas.setdefault(one, [])
                if len(bucket) < MAX_CANDIDATES:
                    bucket.append(content)


def _date_candidate(
    element: etree._Element, tag: str, itemprop: str, date_marks: bool, dates: list[tuple[str, int]], other: OtherText
) -> None:
    """A date the element gives, if any; ``itemprop`` lower-cased, ``date_marks`` whether its class or
    id names a byline's date."""
    props = itemprop.split()
    if "datepublished" in props or "datecreated" in props:
        value = _attr(element, "datetime") or _attr(element, "content") or text_of(element)
        if value:
            dates.append((value, 0))
        return
    if tag == "time":
        value = _attr(element, "datetime") or text_of(element)
        if not value or "datemodified" in itemprop or other.inside(element):
            return
        if element.get("pubdate") is not None:
            dates.append((value, 0))
        elif _in_article(element):
            dates.append((value, 1))
        return
    if date_marks:
        text = text_of(element)
        if text and len(text) <= MAX_BYLINE_CHARS and not other.inside(element):
            dates.append((text, 2))


def _author_candidate(
    element: etree._Element, tag: str, itemprop: str, author_marks: bool, authors: list[str], other: OtherText
) -> None:
    """An author the element names, if any; ``itemprop`` lower-cased, ``author_marks`` whether its
    class or id names a byline's author."""
    props = itemprop.split()
    if "author" in props or "creator" in props:
        names = element.xpath(".//*[@itemprop='name']")
        value = (_attr(names[0], "content") or text_of(names[0])) if names else text_of(element)
    elif (tag == "a" and "author" in _attr(element, "rel").lower().split()) or author_marks:
        value = byline_text(element)
    else:
        return
    if value and len(value) <= MAX_BYLINE_CHARS and not other.inside(element):
        authors.append(value)

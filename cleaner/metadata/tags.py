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

from cleaner.read.tags import shown_in_place

__all__ = ["Candidates", "OtherText", "PageTags", "byline_text", "find_candidates", "read_tags", "text_of"]

# Strings longer than this are not metadata.
MAX_VALUE_CHARS = 2_000
# Candidates kept per kind: the first few are the ones that matter.
MAX_CANDIDATES = 20
# A byline or date element with more text than this is a container, not a byline.
MAX_BYLINE_CHARS = 200
# How many ancestors of an element are looked at to tell whether it is in a comment, a sidebar...
MAX_ANCESTORS = 12
# A container with at least this share of the page's text is the page's wrapper, whatever its class.
WRAPPER_SHARE = 0.5


class ClassWords:
    """Words looked for in class and id values, whatever their case: ``pattern``, of lower-case
    literals, is the definition. Such values are ASCII nearly always, and an ASCII value lower-cased
    is searched without ``re.IGNORECASE``, which Python's re runs four to six times faster; for ASCII
    text the two find the same (``re.IGNORECASE`` reads a few other characters as ASCII letters, the
    Kelvin sign as "k": a value that is not ASCII is searched as the pattern says)."""

    __slots__ = ("pattern", "_lower_case")

    def __init__(self, pattern: str) -> None:
        self.pattern = re.compile(pattern, re.IGNORECASE)
        self._lower_case = re.compile(pattern)

    def search(self, value: str) -> bool:
        """Whether ``value`` holds one of the words."""
        if value.isascii():
            return self._lower_case.search(value.lower()) is not None
        return self.pattern.search(value) is not None


# class / id words of containers whose dates and names describe other texts: a word of a class or id
# (after a start, a space, "-" or "_") that starts with one of these.
# A page's footer, not an article's ("post-footer" and "entry-footer" hold bylines): "footer",
# "site-footer", "footer-links"...
_OTHER_TEXT_WORDS = ClassWords(
    r"(?:^|[\s_-])(?:comment|repl(?:y|ies)|respond|related|recommend|sidebar|teaser|popular|trending|"
    r"nav|menu|breadcrumb|newsletter|promo|outbrain|taboola|share|sharing|social|cookie|bio\b|author-?bio|rail\b)"
    r"|(?:^|\s)(?:site-|page-|global-|main-)?footer",
)
# Text after which a byline goes on in the next text node ("By" <a>Jane Doe</a> "and" <a>John Roe</a>),
# and text that continues one.
_BYLINE_OPEN_RE = re.compile(
    r"(?:\b(?:by|and|und|et|y|von|par|por|di|da|door|av|af|author|autor|auteur|written by|posted by)|[,&;:/|])\s*$",
    re.IGNORECASE,
)
_BYLINE_CONTINUE_RE = re.compile(r"^\s*(?:[,&;/|]|(?:and|und|et|y|by)\b)", re.IGNORECASE)
_OTHER_TEXT_TAGS = frozenset({"nav", "footer", "aside", "form", "noscript", "template"})
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
    title: str | None = None
    heading: str | None = None
    jsonld: list[str] = field(default_factory=list)
    find_candidates: Callable[[], Candidates] = field(default=lambda: Candidates([], []), repr=False)
    """The second pass over the page (see :meth:`candidates`)."""
    _candidates: Candidates | None = field(default=None, init=False, repr=False)

    def meta(self, *keys: str) -> list[str]:
        """The values of the given ``<meta>`` keys, key by key, in document order."""
        return [value for key in keys for value in self.metas.get(key, ())]

    def candidates(self) -> Candidates:
        """The page's date and author candidates, found on the first call (a walk over every element)."""
        if self._candidates is None:
            self._candidates = self.find_candidates()
        return self._candidates


def text_of(element: etree._Element) -> str:
    """The text of an element, whitespace collapsed (scripts and styles left out)."""
    try:
        parts = element.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]")
    except (etree.XPathError, ValueError):
        return ""
    return " ".join(" ".join(str(part) for part in parts).split())[:MAX_VALUE_CHARS]


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


def _marks(element: etree._Element) -> str:
    """An element's class and id, for the class-word tests."""
    return f"{element.get('class') or ''} {element.get('id') or ''}"


def headline_path(root: etree._Element) -> frozenset[etree._Element]:
    """The first ``<h1>`` and its ancestors."""
    heading = next(root.iter("h1"), None)
    path: set[etree._Element] = set()
    while heading is not None:
        path.add(heading)
        heading = heading.getparent()
    return frozenset(path)


def _text_chars(element: etree._Element) -> int:
    """An element's characters of text: the lengths of its text nodes, each stripped, summed."""
    return sum(map(len, map(str.strip, element.itertext())))


class OtherText:
    """Tells, for one page, whether an element is, or sits in, text about other things than the article.

    Comment sections, navigation, sidebars, teasers of other articles, page footers: by their tag
    (``nav``, ``footer``, ``aside``, ``form``...) or a class / id word. Layout classes name what a page
    has beside its article ("content-area sidebar-content", "has-sidebar"), so a marked container is
    not taken for other text when it holds the headline (the first ``h1``) or at least
    :data:`WRAPPER_SHARE` of the page's text: then it is the article's own wrapper.
    """

    def __init__(self, root: etree._Element) -> None:
        self._root = root
        self._protected: frozenset[etree._Element] | None = None  # headline_path(root), on first use
        # The page's characters of text (_text_chars of the root), counted only as far as a question
        # needs: a marked container is seldom near half the page, and the page's scripts are long.
        self._page_text = root.itertext()
        self._page_chars_so_far = 0
        self._page_read = False
        self._verdicts: dict[etree._Element, bool] = {}
        # Whether a class and id (:func:`_marks`) name other text: the elements of a page share a few
        # class names, so each value is searched once (a search each time was a tenth of the cost).
        self._marks_say_other: dict[str, bool] = {}

    def is_other(self, element: etree._Element) -> bool:
        """Whether the element itself is a container of other text."""
        verdict = self._verdicts.get(element)
        if verdict is None:
            verdict = self._judge(element)
            self._verdicts[element] = verdict
        return verdict

    def _judge(self, element: etree._Element) -> bool:
        """Whether the element's tag, class or id names a comment, navigation, sidebar, footer...
        container, and it is not the article's wrapper."""
        if self._protected is None:
            self._protected = headline_path(self._root)
        if element in self._protected:
            return False
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if tag in _OTHER_TEXT_TAGS:
            return not shown_in_place(tag, element.attrib)
        if tag in ("body", "html"):
            # Their classes describe the page ("has-sidebar", "comments-open"), not a part of it.
            return False
        marks = _marks(element)
        says = self._marks_say_other.get(marks)
        if says is None:
            says = self._marks_say_other[marks] = bool(marks.strip()) and _OTHER_TEXT_WORDS.search(marks)
        if not says:
            return False
        return not self._holds_page_share(_text_chars(element))

    def _holds_page_share(self, chars: int) -> bool:
        """Whether ``chars`` reach :data:`WRAPPER_SHARE` of the page's characters of text. The page is
        read on only while they do: once they fall short of the share of what is read, they fall
        short of the whole's."""
        while not self._page_read and chars >= WRAPPER_SHARE * self._page_chars_so_far:
            text = next(self._page_text, None)
            if text is None:
                self._page_read = True
            else:
                self._page_chars_so_far += len(text.strip())
        return chars >= WRAPPER_SHARE * self._page_chars_so_far

    def inside(self, element: etree._Element) -> bool:
        """Whether the element or one of its nearest :data:`MAX_ANCESTORS` ancestors is other text."""
        node: etree._Element | None = element
        for _ in range(MAX_ANCESTORS):
            if node is None or (isinstance(node.tag, str) and node.tag.lower() in ("body", "html")):
                break
            if self.is_other(node):
                return True
            node = node.getparent()
        return False


def _in_article(element: etree._Element) -> bool:
    node: etree._Element | None = element.getparent()
    while node is not None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _ARTICLE_TAGS:
            return True
        marks = _marks(node)
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
        elif tag == "title" and tags.title is None:
            tags.title = text_of(element) or None
        elif tag == "h1" and tags.heading is None:
            tags.heading = text_of(element) or None
        elif tag == "script" and "ld+json" in _attr(element, "type").lower() and element.text:
            tags.jsonld.append(element.text)
    judge = other if other is not None else OtherText(root)
    tags.find_candidates = lambda: find_candidates(root, judge)
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

"""Text about other things than the article: comment sections, navigation, sidebars, teasers of other
articles, page footers. Their dates and names are not the article's (:mod:`cleaner.metadata.tags`,
:mod:`cleaner.metadata.visible`)."""

from __future__ import annotations

from lxml import etree

from cleaner.metadata.classwords import ClassWords, class_and_id
from cleaner.read.visibility import shown_in_place

__all__ = ["OtherText", "headline_path"]

# How many ancestors of an element are looked at to tell whether it is in a comment, a sidebar...
MAX_ANCESTORS = 12
# A container with at least this share of the page's text is the page's wrapper, whatever its class.
WRAPPER_SHARE = 0.5

# class / id words of containers whose dates and names describe other texts: a word of a class or id
# (after a start, a space, "-" or "_") that starts with one of these.
# A page's footer, not an article's ("post-footer" and "entry-footer" hold bylines): "footer",
# "site-footer", "footer-links"...
_OTHER_TEXT_WORDS = ClassWords(
    r"(?:^|[\s_-])(?:comment|repl(?:y|ies)|respond|related|recommend|sidebar|teaser|popular|trending|"
    r"nav|menu|breadcrumb|newsletter|promo|outbrain|taboola|share|sharing|social|cookie|bio\b|author-?bio|rail\b)"
    r"|(?:^|\s)(?:site-|page-|global-|main-)?footer",
)
_OTHER_TEXT_TAGS = frozenset({"nav", "footer", "aside", "form", "noscript", "template"})


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
        # Whether a class and id (:func:`class_and_id`) name other text: the elements of a page share a few
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
        marks = class_and_id(element)
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

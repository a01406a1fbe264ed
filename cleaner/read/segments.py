"""What the segmenter found in a page (:class:`Segments`): the record that :mod:`cleaner.read.segment`
and its compiled equal fill, and :mod:`cleaner.read.blocks` reads."""

from __future__ import annotations

from array import array
from collections.abc import Mapping

from cleaner.read.tags import META_DESCRIPTION_KEYS

# The <meta> keys (property or name, lower-cased) of the titles and descriptions a page gives of
# itself (Open Graph, Twitter...), and of its Open Graph type.
TITLE_METAS = frozenset({"og:title", "twitter:title"})
DESCRIPTION_METAS = frozenset(META_DESCRIPTION_KEYS)
TYPE_META = "og:type"


class Segments:
    """What one pass over a page's parser events found, in parallel columns (cheaper than an object
    per line): lists, and arrays of C integers for the per-element numbers.

    Elements are numbered in document order (preorder), so element ``i``'s subtree is the numbers
    ``i .. ends[i]-1``. Per line: its line number in the page's plain-text rendering, the element
    number of the block element that produced it (its owner), its text and link characters, the
    owner's tag, depth, ancestor tags and hints, and the numbers of the owner's nearest ancestors
    (parent first).
    """

    __slots__ = (
        "ends", "containers", "class_of", "class_names", "number", "owner", "text", "link", "tag", "depth",
        "ancestors", "hinted", "nearest", "first_line", "last_line", "swallowed", "hidden_chars", "revealed", "title",
        "meta_titles", "jsonld", "lang", "page_type", "descriptions", "marks", "pre_blanks", "links", "base",
        "from_data",
    )  # fmt: skip

    def __init__(self) -> None:
        # The per-element columns are arrays of C integers: a page of a million elements would hold
        # them as tens of megabytes of Python ints.
        self.ends = array("q")  # per element: one past the last number in its subtree
        self.containers: list[bool] = []  # per element: a block that can hold several blocks
        # Per element: its class attribute, as an index into class_names ("" for none), each value once.
        self.class_of = array("q")
        self.class_names: list[str] = [""]
        self.number: list[int] = []
        self.owner: list[int] = []
        self.text: list[str] = []
        self.link: list[int] = []
        self.tag: list[str] = []
        self.depth: list[int] = []
        self.ancestors: list[frozenset[str]] = []
        # Per line: the ancestors (and the block) whose class or id holds hint words, outermost first
        # (the innermost MAX_HINTED_ANCESTORS of them), with those hints (cleaner.read.blocks keeps the
        # hints of the ones that do not hold most of the page).
        self.hinted: list[tuple[tuple[int, frozenset[str]], ...]] = []
        self.nearest: list[tuple[int, ...]] = []
        # Per element: the lines its subtree gave, first_line[e] <= line < last_line[e].
        self.first_line = array("q")
        self.last_line = array("q")
        self.swallowed = False  # an unclosed title/textarea took the page's markup as its text
        self.hidden_chars = 0  # characters of text in hidden or <noscript> content, left out
        self.revealed = False  # that content was read as visible (see REVEAL_SHARE)
        self.from_data = False  # the article its structured data gives was read in (cleaner.read.structured)
        # What the page says of itself in its head: <title>, og:title and twitter:title, JSON-LD, <html lang>,
        # the first og:type (lower-cased).
        self.title = ""
        self.meta_titles: list[str] = []
        self.jsonld: list[str] = []
        self.lang = ""
        self.page_type = ""
        # The first content of each of the page's description <meta>s (og:description, description...).
        self.descriptions: dict[str, str] = {}
        # The structural elements (lists, items, tables, rows, cells, quotes, code, headings: see
        # cleaner.read.structure), in document order: (number, tag, attributes).
        self.marks: list[tuple[int, str, Mapping[str, str]]] = []
        # Lines of a <pre> after more than one blank line of it: line index -> blank lines before it.
        self.pre_blanks: dict[int, int] = {}
        # When links are asked for: line index -> the links in its text, as (start, end, href).
        self.links: dict[int, tuple[tuple[int, int, str], ...]] | None = None
        self.base = ""  # the first <base href>, as written

    def read_meta(self, attrib: Mapping[str, str]) -> None:
        """Keep the titles and descriptions a <meta> gives (Open Graph, Twitter...), and the page's Open
        Graph type."""
        name = (attrib.get("property") or attrib.get("name") or "").lower()
        if name in TITLE_METAS:
            content = " ".join((attrib.get("content") or "").split())
            if content:
                self.meta_titles.append(content)
        elif name in DESCRIPTION_METAS and name not in self.descriptions:
            content = " ".join((attrib.get("content") or "").split())
            if content:
                self.descriptions[name] = content
        elif name == TYPE_META and not self.page_type:
            self.page_type = (attrib.get("content") or "").strip().lower()

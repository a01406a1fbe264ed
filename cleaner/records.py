"""The records that flow through the pipeline: a page as read, a line and what its markup says, a batch
of pages' lines. What cleaning gives back (a line's result, a cleaned page) is in :mod:`cleaner.results`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from functools import cached_property
from typing import Any

import numpy as np

# Labels a line can take. The model predicts one of these for every non-blank line.
LABELS: tuple[str, ...] = ("body", "heading", "meta", "related", "classified", "comment", "nav")
# What `clean` keeps unless told otherwise: the article itself.
DEFAULT_KEEP: tuple[str, ...] = ("body", "heading")
# The label given to blank lines in labeled files: they separate paragraphs and are never classified.
BLANK_LABEL = "-"


@dataclass(frozen=True, slots=True)
class Markup:
    """What the HTML around a line says about it. Absent (None) for plain-text input.

    Every field is computed by the HTML segmenter (:mod:`cleaner.read.segment`) from the parsed page.
    """

    tag: str
    """The block element that produced the line: p, h1..h6, li, td, th, dt, dd, pre, blockquote, figcaption, div, ..."""
    link_density: float
    """Share of the line's characters that sit inside an ``<a>`` element (0..1)."""
    depth: int
    """Depth of the block element in the tree (html = 0)."""
    ancestors: frozenset[str] = frozenset()
    """Tag names of every ancestor of the block element."""
    hints: frozenset[str] = frozenset()
    """Keywords found in the class/id of the element or its ancestors (see ``cleaner.read.tags.HINT_WORDS``)."""
    block_chars: int = 0
    """Characters of text in the nearest enclosing container (the block's parent element)."""
    ancestor_shares: tuple[float, ...] = ()
    """For the nearest ancestors (parent first), the share of the page's long, punctuated text each holds."""
    in_main: bool = False
    """True when the line sits inside the page's densest container of long, punctuated text."""
    ancestor_ranges: tuple[tuple[int, int], ...] = ()
    """For the nearest ancestors (parent first), the lines of the page its subtree holds, as
    ``(first, end)`` line indexes; ``(-1, -1)`` (or nothing) stands for the whole page."""
    in_repeat: bool = False
    """True in a thread's reply told by its markup, beside its opening post (:mod:`cleaner.read.repeats`)."""


@dataclass(frozen=True, eq=False)
class MarkupColumns:
    """The :class:`Markup` of a page's lines as columns, one entry per line: what the HTML segmenter
    produces and the markup features read, without a Markup object per line.

    ``present`` is False for a line without markup; its other entries are then empty or zero.
    """

    present: np.ndarray  # bool
    tags: list[str]
    link_density: np.ndarray  # float
    depth: np.ndarray  # int
    ancestors: list[frozenset[str]]
    hints: list[frozenset[str]]
    block_chars: np.ndarray  # int
    ancestor_shares: np.ndarray  # float, one row per line, one column per ancestor (parent first)
    in_main: np.ndarray  # bool
    ancestor_ranges: np.ndarray  # int, [line, ancestor (parent first), first / end]; -1 for the whole page
    in_repeat: np.ndarray  # bool

    @classmethod
    def of(cls, marks: Sequence[Markup | None], shares: int) -> MarkupColumns:
        """The columns of ``marks``; ``ancestor_shares`` and ``ancestor_ranges`` cut or padded (with zeros,
        with the whole page) to ``shares`` ancestors."""
        none = Markup("", 0.0, 0)
        filled = [none if m is None else m for m in marks]
        padding = (0.0,) * shares
        whole = ((-1, -1),) * shares
        return cls(
            np.array([m is not None for m in marks], dtype=bool),
            [m.tag for m in filled],
            np.array([m.link_density for m in filled], dtype=float),
            np.array([m.depth for m in filled], dtype=np.int64),
            [m.ancestors for m in filled],
            [m.hints for m in filled],
            np.array([m.block_chars for m in filled], dtype=np.int64),
            np.array([(m.ancestor_shares + padding)[:shares] for m in filled], dtype=float).reshape(-1, shares),
            np.array([m.in_main for m in filled], dtype=bool),
            np.array([(m.ancestor_ranges + whole)[:shares] for m in filled], dtype=np.int64).reshape(-1, shares, 2),
            np.array([m.in_repeat for m in filled], dtype=bool),
        )

    def rows(self, start: int, end: int) -> MarkupColumns:
        """The columns of lines ``start:end``."""
        return MarkupColumns(*(column[start:end] for column in self._columns()))

    def part(self, start: int, end: int, page_start: int) -> MarkupColumns:
        """The columns of lines ``start:end``, a part of the page whose first line is ``page_start``, as
        a page of its own: the ancestors' line ranges cut to the part and counted from its first line."""
        part = self.rows(start, end)
        whole = part.ancestor_ranges[..., 0] < 0
        ranges = np.clip(part.ancestor_ranges, start - page_start, end - page_start) - (start - page_start)
        ranges[whole] = -1
        return replace(part, ancestor_ranges=ranges)

    @classmethod
    def concat(cls, parts: Sequence[MarkupColumns]) -> MarkupColumns:
        """The columns of several pages' lines, one page after the other."""
        joined = []
        for values in zip(*(part._columns() for part in parts)):
            if isinstance(values[0], np.ndarray):
                joined.append(np.concatenate(values))
            else:
                joined.append([item for value in values for item in value])
        return cls(*joined)

    def _columns(self) -> tuple[Any, ...]:
        return tuple(getattr(self, item.name) for item in fields(self))

    def marks(self) -> list[Markup]:
        """One Markup per line (every line has markup)."""
        shares = [tuple(row) for row in self.ancestor_shares.tolist()]
        ranges = [tuple(map(tuple, row)) for row in self.ancestor_ranges.tolist()]
        return list(map(
            Markup, self.tags, self.link_density.tolist(), self.depth.tolist(), self.ancestors, self.hints,
            self.block_chars.tolist(), shares, self.in_main.tolist(), ranges, self.in_repeat.tolist(),
        ))  # fmt: skip


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a page: a text line (text input) or one block of text (HTML input)."""

    number: int
    """1-based line number in the input text; for HTML, the line number in the page's plain-text
    rendering (:func:`cleaner.render.render_lines`). A gap between the numbers of two consecutive lines
    means blank lines (a paragraph break) stood between them."""
    text: str
    markup: Markup | None = None
    page: int = 0
    """Which page of a batch the line belongs to: features look at neighbours within one page only."""


@dataclass(frozen=True)
class PageSignals:
    """What an HTML page says about itself besides its text: its <title>, its Open Graph and Twitter
    titles, its JSON-LD blocks (as written), its declared language, its descriptions; whether content hidden or
    shown only without scripts was read because the page had (nearly) nothing else, and whether the
    article its JSON-LD gives was (:mod:`cleaner.read.structured`)."""

    title: str = ""
    meta_titles: tuple[str, ...] = ()
    jsonld: tuple[str, ...] = ()
    lang: str = ""
    revealed: bool = False
    page_type: str = ""
    """The page's Open Graph type (``og:type``), lower-cased: "article", "website", "product"..."""
    from_data: bool = False
    descriptions: tuple[str, ...] = ()
    """The descriptions its <meta> elements give (``og:description``, ``description``...), most trusted first."""

    @cached_property
    def schema_types(self) -> frozenset[str]:
        """The schema.org types of its JSON-LD's nodes (:func:`cleaner.metadata.jsonld.jsonld_types`):
        the scripts are parsed once however many rules ask what the page declares itself."""
        if not self.jsonld:
            return frozenset()
        from cleaner.metadata.jsonld import jsonld_types  # the metadata package loads on first use

        return jsonld_types(list(self.jsonld))


@dataclass(frozen=True, eq=False)
class StructureColumns:
    """The structure around the lines of an HTML page: what renderings that keep the article's shape
    read (lists, tables, quotes, code, headings, links). The models never read it."""

    owners: list[int]
    """Per line: the number of its block element (document order; consecutive lines of one block share it)."""
    tags: list[str]
    """Per line: its block element's tag (as :attr:`MarkupColumns.tags`, present even without markup)."""
    marks: list[tuple[int, str, Mapping[str, str]]] = field(default_factory=list)
    """The structural elements of the page (lists, items, tables, rows, cells, quotes, code, headings), in
    document order: (number, tag, attributes)."""
    ends: dict[int, int] = field(default_factory=dict)
    """Per structural element: one past the last number of its subtree."""
    pre_blanks: dict[int, int] = field(default_factory=dict)
    """Lines of a ``<pre>`` after more than one blank line of it (the numbering shows one): line
    index -> blank lines before it."""
    links: dict[int, tuple[tuple[int, int, str], ...]] | None = None
    """When the page was read with ``links=True``: line index -> the links in its text, as
    ``(start, end, href)`` (the characters ``start:end``, the href as written); else None."""
    base: str = ""
    """The page's first ``<base href>``, as written (empty if none)."""

    @cached_property
    def frames(self) -> list[tuple]:
        """Per line: the structural elements around it, outermost first, as frames (see
        :mod:`cleaner.read.structure`); one tuple shared by the lines of a block, empty outside any.
        Worked out on first use."""
        from cleaner.read.structure import line_frames

        return line_frames(self.marks, self.ends, self.owners)


@dataclass(frozen=True, eq=False)
class ReadPage:
    """A page read once (sniffed, decoded, cut into lines): what the rest of the pipeline works on.

    Only the non-blank lines are classified: ``numbers`` and ``texts`` hold those, with their line
    numbers (a gap means a paragraph break). See :func:`cleaner.read.read_page`.
    """

    numbers: list[int]
    texts: list[str]
    markup: MarkupColumns | None
    """What the HTML says about each line, for a model that reads it; else None."""
    input_format: str
    """``"text"`` or ``"html"``."""
    replaced: bool = False
    """True when invalid bytes (or lone surrogates) were replaced while decoding."""
    lines: list[str] | None = None
    """For text input, every line of the page, blank ones too (line ``n`` is ``lines[n - first_line]``):
    the results of :meth:`cleaner.Cleaner.classify` cover them all. None for HTML, whose lines are its blocks."""
    first_line: int = 1
    """The number of ``lines[0]`` (a segment of a long text streamed starts further on)."""
    signals: PageSignals = PageSignals()
    """What an HTML page says about itself (empty for text)."""
    structure: StructureColumns | None = None
    """The structure around each line of an HTML page (lists, tables, quotes...), for the Markdown
    rendering; None for text."""
    from_tree: Any = None
    """What the ``tree_reader`` given to :func:`cleaner.read.read_page` read in the HTML page's parsed
    tree (the page's metadata, say: read from the tree the lines came from, not from a second parse);
    None without one."""


def line_chars(texts: Sequence[str]) -> np.ndarray:
    """The characters of each line, as floats: what the features count and the decision rules weigh
    lines by."""
    return np.fromiter(map(len, texts), dtype=float, count=len(texts))


# The name of the lines' characters among a batch's derived columns (``PageBatch.derived``).
LINE_CHARS = "chars"


@dataclass(frozen=True, eq=False)
class PageBatch:
    """The non-blank lines of one or more pages as columns, one page after the other: what the features
    stage reads. Page ``i`` holds the lines ``bounds[i]:bounds[i + 1]``."""

    texts: list[str]
    numbers: Sequence[int]
    markup: MarkupColumns | None
    """None when no line has markup (plain text, or a model that does not read it)."""
    bounds: Sequence[int]
    signals: tuple[PageSignals, ...] = ()
    """Per page (empty when no page has any: plain text)."""
    continued: tuple[bool, ...] = ()
    """Per page: whether it is a later part of a page cut into parts (:meth:`cut`); empty when no page
    was cut. The rules for an article's head read a page's head, not a part's."""
    derived: dict[str, list[Any] | np.ndarray] = field(default_factory=dict, init=False, repr=False)
    """Columns derived from the lines (a value per line), made once a batch by the stage that first
    asks for them and read by the later ones (each line's characters: :meth:`line_chars`; its key:
    :func:`cleaner.read.titles.line_keys`; whether it is prose: :func:`cleaner.read.prose.batch_prose`).
    A part of the batch (:meth:`pages`) and the batch cut (:meth:`cut`) take those made already."""

    @classmethod
    def of(cls, pages: Sequence[ReadPage]) -> PageBatch:
        if len(pages) == 1:
            # A page alone (every clean and clean_html call) lends its columns: copied, a page of
            # hundreds of thousands of lines would hold them twice.
            page = pages[0]
            signals = (page.signals,) if page.markup is not None else ()
            return cls(page.texts, page.numbers, page.markup, [0, len(page.texts)], signals)
        bounds = [0]
        for page in pages:
            bounds.append(bounds[-1] + len(page.texts))
        marks = [page.markup for page in pages]
        markup = None if any(m is None for m in marks) else MarkupColumns.concat(marks)  # type: ignore[arg-type]
        return cls(
            [text for page in pages for text in page.texts],
            [number for page in pages for number in page.numbers],
            markup,
            bounds,
            tuple(page.signals for page in pages) if markup is not None else (),
        )

    @classmethod
    def one(cls, texts: list[str], numbers: Sequence[int], markup: MarkupColumns | None = None) -> PageBatch:
        """A batch of one page."""
        return cls(texts, numbers, markup, [0, len(texts)])

    def line_chars(self) -> np.ndarray:
        """:func:`line_chars` of the batch's lines, made once a batch (the features, the second pass and
        the decision rules all weigh lines by them; read-only, as they are shared)."""
        chars = self.derived.get(LINE_CHARS)
        if chars is None:
            chars = line_chars(self.texts)
            chars.flags.writeable = False
            self.derived[LINE_CHARS] = chars
        return chars  # type: ignore[return-value]

    @property
    def in_main(self) -> np.ndarray | None:
        """Per line: inside its page's densest container of prose (``Markup.in_main``); None for text."""
        return self.markup.in_main if self.markup is not None else None

    def cut(self, max_lines: int) -> tuple[PageBatch, list[int] | None]:
        """The batch with each page of more than ``max_lines`` lines cut into parts of at most that many,
        each read as a page of its own (see :data:`cleaner.pipeline.MAX_PAGE_LINES`); and each part's
        page, None when no page was cut (the batch itself is returned then)."""
        bounds = [int(bound) for bound in self.bounds]
        if all(end - start <= max_lines for start, end in zip(bounds[:-1], bounds[1:])):
            return self, None
        cuts, owners = [0], []
        for page, (start, end) in enumerate(zip(bounds[:-1], bounds[1:])):
            parts = max(1, -(-(end - start) // max_lines))
            cuts += [start + (end - start) * k // parts for k in range(1, parts + 1)]
            owners += [page] * parts
        markup = self.markup
        if markup is not None:
            markup = MarkupColumns.concat(
                [markup.part(a, b, bounds[owner]) for a, b, owner in zip(cuts[:-1], cuts[1:], owners)]
            )
        signals = tuple(self.signals[owner] for owner in owners) if self.signals else ()
        continued = tuple(part > 0 and owner == owners[part - 1] for part, owner in enumerate(owners))
        cut = PageBatch(self.texts, self.numbers, markup, cuts, signals, continued)
        cut.derived.update(self.derived)  # the same lines
        return cut, owners

    def each_page(self) -> list[PageBatch]:
        """Each page of the batch as a batch of its own."""
        return [self.pages(page, page + 1) for page in range(len(self.bounds) - 1)]

    def pages(self, first: int, last: int) -> PageBatch:
        """The pages ``first:last`` of the batch."""
        if first == 0 and last == len(self.bounds) - 1:
            return self
        start, end = int(self.bounds[first]), int(self.bounds[last])
        part = PageBatch(
            self.texts[start:end],
            self.numbers[start:end],
            None if self.markup is None else self.markup.rows(start, end),
            [int(bound) - start for bound in self.bounds[first : last + 1]],
            self.signals[first:last],
            self.continued[first:last],
        )
        part.derived.update((name, values[start:end]) for name, values in self.derived.items())
        return part

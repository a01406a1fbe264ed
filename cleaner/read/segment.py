"""The HTML segmenter: one pass over the events of lxml's HTML parser, in document order, with no tree
and no recursion, cutting the page into lines of text.

Every block of text (a paragraph, a heading, a list item, a table cell, the text directly inside a
``div``...) becomes one line, or several when ``<br>`` or the source lines of a ``<pre>`` split it.
Each line records its block element, the element's ancestors and their class/id hints, its link
characters, and its number in the page's plain-text rendering. :mod:`cleaner.read.blocks` then adds
what needs the whole page.

Driving the segmentation from the parser's events, rather than building a tree and walking it, costs
no tree and no Python proxy per element, needs no recursion, and is not subject to libxml2's nesting
limit for trees (2048 levels even with huge_tree, past which it silently drops the rest of the page).
"""

from __future__ import annotations

from collections.abc import Mapping

from cleaner.read.lines import respaced
from cleaner.read.pieces import drop_marker, pre_gaps, record_links, split_collapsed, split_linked, split_pre
from cleaner.read.rawtext import RAW_TEXT_TAGS, SWALLOW_MIN_CHARS, SWALLOWED_MARKUP_RE
from cleaner.read.segments import Segments
from cleaner.read.structure import STRUCTURE_ATTRIBUTES, STRUCTURE_TAGS
from cleaner.read.tags import (
    BR,
    BREAK,
    CONTAINER,
    GROUP_TAGS,
    INLINE,
    LINK,
    MAIN_ROLE,
    NO_HINTS,
    PRE,
    SKIP,
    TAG_KINDS,
    edit_section,
    figure_scope,
    hints_of,
    main_role,
    paragraph_break,
    permalink,
)
from cleaner.read.visibility import hidden_element, shown_in_place

# How many ancestors (parent first) of a line's block are described (see Markup.ancestor_shares): the
# nearest that hold more lines than the one inside them (a wrapper of the same lines says nothing more).
SHARED_ANCESTORS = 4
# How many of a block's nearest ancestors are recorded, to find those among them.
RECORDED_ANCESTORS = 16
# How many hinted ancestors of a line are recorded (the innermost: Segments.hinted). Each element's chain
# is a tuple of its own, so a page of n elements nested inside one another with class words (unclosed
# <div class="post">s) would take time and memory growing as n * n: 20,000 took 7 s and 1.7 GB. No
# corpus page has more than 28.
MAX_HINTED_ANCESTORS = 64
# Content a browser hides (the ``hidden`` attribute, display:none, aria-hidden), shows only without
# scripts (<noscript>) or only once scripts render it (<template>) is left out, unless leaving it out
# would leave the page (nearly) empty: forum software serves its posts inside <noscript> to clients
# without scripts, and JavaScript frameworks render their page inside a wrapper hidden until the
# scripts run, or from a template. Then that content is the page: it is read as visible when what is
# visible holds less than this share of what was left out. Not a closed <dialog>: consent and login
# prompts, often long, live there, and would tip pages with little text into being read whole.
REVEAL_SHARE = 0.25
REVEALABLE_TAGS = frozenset({"noscript", "template"})
# Structured data the page gives about itself (read by the page-signal features and the metadata).
JSONLD_TYPE = "ld+json"


class Segmenter:
    """A parser target that turns the parser's start/end/data events into the lines of a :class:`Segments`.

    The page's state while it is parsed: the open elements and blocks, the pending text of the
    innermost block, whether the parser is inside a skipped, preformatted or link element.
    """

    __slots__ = (
        "out", "open_elements", "blocks", "pieces", "link_pieces", "raw", "hint_cache", "class_ids", "tags_cache",
        "link_depth", "pre_depth", "skip_depth", "raw_depth", "swallowing", "line_number", "last_block", "reveal",
        "counting", "quiet_depth", "raw_tag", "jsonld_depth", "hrefs", "link_refs", "hidden", "marker_depth",
        "marker_start",
    )  # fmt: skip

    def __init__(self, reveal: bool = False, links: bool = False) -> None:
        self.reveal = reveal  # read hidden and <noscript> content as visible
        self.out = Segments()
        # With links: the open <a> elements, innermost last, as (number, href or None), and the one
        # each piece of link text is in (parallel to link_pieces). None without.
        self.hrefs: list[tuple[int, str | None]] | None = None
        self.link_refs: list[tuple[int, str | None]] = []
        if links:
            self.hrefs = []
            self.out.links = {}
        # Open elements, innermost last: (number, kind, tags of it and its ancestors, the hinted elements
        # among them, see Segments.hinted).
        self.open_elements: list[tuple[int, int, frozenset[str], tuple]] = []
        # Open blocks, innermost last: (number, tag, depth, ancestor tags, hinted elements, number of the
        # outermost list or table around it or -1).
        self.blocks: list[tuple[int, str, int, frozenset[str], tuple, int]] = []
        self.pieces: list[str] = []  # text of the innermost block since its last flush
        self.link_pieces: list[int] = []  # indexes in pieces of the text inside <a>
        self.raw: list[str] = []  # text of the title/textarea or JSON-LD script being skipped
        self.raw_tag = ""  # which of them
        # Hidden text since the last tag (counted whole at the next: how the parser cuts a run of text
        # into data events, at entities say, must not change the count).
        self.hidden: list[str] = []
        self.hint_cache: dict[str, frozenset[str]] = {}
        self.class_ids: dict[str | None, int] = {None: 0, "": 0}  # see Segments.class_of
        self.tags_cache: dict[tuple[frozenset[str], str], frozenset[str]] = {}
        self.link_depth = self.pre_depth = 0
        # > 0 inside a link to a fragment of the page (see tags.permalink), outside <pre>: the link_depth
        # it opened at, and where its text starts in pieces. Its text without a letter or digit is left out.
        self.marker_depth = self.marker_start = 0
        self.skip_depth = 0  # > 0 inside a skipped element: how many of its elements are open
        self.raw_depth = 0  # > 0 inside a title/textarea being skipped: its skip_depth
        # A title/textarea whose text holds page markup ended, and nothing came after it yet: if
        # nothing does, it ran unclosed to the end of the page (out.swallowed). A closed one holding
        # markup (an embed code, a comment template) swallowed nothing.
        self.swallowing = False
        self.line_number = 0  # of the last line, in the plain-text rendering of the page
        self.last_block: tuple[str, int] | None = None  # tag and list/table of the last block with lines
        self.counting = False  # inside hidden or <noscript> content: its text is counted (out.hidden_chars)
        self.quiet_depth = 0  # > 0 inside a script, style... within it: its skip_depth
        self.jsonld_depth = 0  # > 0 inside a JSON-LD script: its skip_depth

    def flush(self) -> None:
        """Turn the pending text into lines of the innermost open block.

        Lines are numbered as in the page's plain-text rendering: the number skips one (a blank line)
        at a paragraph break between blocks (see :func:`cleaner.read.tags.paragraph_break`), and where
        empty lines (``<br><br>``, blank lines of a ``<pre>``) separate lines inside a block.
        """
        blocks, pieces, link_pieces = self.blocks, self.pieces, self.link_pieces
        # The lines found become lines len(out.text)...: what is recorded of them by index (a <pre>'s
        # blank lines, links) is recorded before they are appended.
        if not blocks:
            found: list[tuple[str, int]] = []
        elif self.pre_depth:
            found = split_pre(pieces, link_pieces)
            for offset, blanks in pre_gaps(found):
                self.out.pre_blanks[len(self.out.text) + offset] = blanks
        elif link_pieces:
            if self.hrefs is None:
                found = split_collapsed(pieces, link_pieces)
            else:
                found, spans = split_linked(pieces, link_pieces, self.link_refs)
                record_links(self.out.links, len(self.out.text), found, spans)  # type: ignore[arg-type]
        else:
            joined = "".join(pieces)
            if BR in joined:
                found = split_collapsed([joined], [])
            else:
                text = respaced(joined)
                found = [(text, 0)] if text else []
        pieces.clear()
        if link_pieces:
            link_pieces.clear()
            self.link_refs.clear()
        if not any(text for text, _ in found):
            return
        number, tag, depth, ancestors, hinted, group = blocks[-1]
        open_elements = self.open_elements
        nearest = tuple(open_elements[i][0] for i in range(depth - 1, max(depth - 1 - RECORDED_ANCESTORS, -1), -1))
        # Before the block's first line: one more if a paragraph break separates it from the last block.
        last_block = self.last_block
        step = 2 if last_block is not None and paragraph_break(last_block, (tag, group)) else 1
        self.last_block = (tag, group)
        out = self.out
        line_number = self.line_number
        first = True
        for text, link_chars in found:
            if not text:  # an empty line inside the block: a blank line, unless at its start or end
                if not first:
                    step = 2
                continue
            first = False
            line_number += step
            step = 1
            out.number.append(line_number)
            out.owner.append(number)
            out.text.append(text)
            out.link.append(link_chars)
            out.tag.append(tag)
            out.depth.append(depth)
            out.ancestors.append(ancestors)
            out.hinted.append(hinted)
            out.nearest.append(nearest)
        self.line_number = line_number

    def start(self, tag: str, attrib: Mapping[str, str]) -> None:
        self.swallowing = False
        if self.skip_depth:
            if self.hidden:
                self.count_hidden()
            self.skip_depth += 1
            if not self.raw_depth and tag in RAW_TEXT_TAGS:
                self.raw_depth, self.raw_tag = self.skip_depth, tag
            if self.counting and not self.quiet_depth and TAG_KINDS.get(tag) == SKIP:
                self.quiet_depth = self.skip_depth
            return
        kind = TAG_KINDS.get(tag, INLINE)
        if kind == SKIP:
            if shown_in_place(tag, attrib) or (self.reveal and tag in REVEALABLE_TAGS):
                kind = CONTAINER
            else:
                self.skip_depth = 1
                self.counting = tag in REVEALABLE_TAGS
                if tag in RAW_TEXT_TAGS:
                    self.raw_depth, self.raw_tag = 1, tag
                elif tag == "script" and JSONLD_TYPE in (attrib.get("type") or "").lower():
                    self.raw_depth, self.raw_tag = 1, tag
                elif tag == "meta" and attrib:
                    self.out.read_meta(attrib)
                elif tag == "base" and attrib and not self.out.base:
                    self.out.base = (attrib.get("href") or "").strip()
                return
        if tag == "html" and not self.out.lang:
            self.out.lang = (attrib.get("lang") or attrib.get("xml:lang") or "").strip()
        own_hints = NO_HINTS
        landmark = False
        classes = None
        if attrib:
            classes = attrib.get("class")
            if edit_section(classes):
                self.skip_depth = 1
                return
            if not self.reveal and hidden_element(tag, attrib):
                self.skip_depth = 1
                self.counting = True
                return
            landmark = main_role(attrib.get("role"))
            names = classes
            ident = attrib.get("id")
            if ident is not None:
                names = ident if names is None else f"{names} {ident}"
            if names:
                own_hints = self.hint_cache.get(names)
                if own_hints is None:
                    own_hints = self.hint_cache[names] = hints_of(names)

        out = self.out
        number = len(out.ends)
        out.ends.append(number + 1)
        out.containers.append(kind == CONTAINER)
        class_id = self.class_ids.get(classes)
        if class_id is None:
            class_id = self.class_ids[classes] = len(out.class_names)
            out.class_names.append(classes)
        out.class_of.append(class_id)
        out.last_line.append(0)
        open_elements = self.open_elements
        if open_elements:
            _, _, parent_tags, parent_hinted = open_elements[-1]
        else:
            parent_tags, parent_hinted = NO_HINTS, ()
        scope = figure_scope(parent_tags, tag)
        tags = self.tags_cache.get((scope, tag))
        if tags is None:
            tags = self.tags_cache[scope, tag] = scope | {tag}
        if landmark:  # its lines are inside the page's main content (see MAIN_ROLE)
            tags = self.tags_cache.setdefault((tags, MAIN_ROLE), tags | {MAIN_ROLE})
        if own_hints:
            hinted = (*parent_hinted[1 - MAX_HINTED_ANCESTORS :], (number, own_hints))
        else:
            hinted = parent_hinted
        if kind >= CONTAINER:
            if kind <= PRE:  # a block
                self.marker_depth = 0  # a block inside a marker's link: no marker
                if self.pieces:
                    self.flush()
                blocks = self.blocks
                group = blocks[-1][5] if blocks else -1
                if group < 0 and tag in GROUP_TAGS:
                    group = number
                blocks.append((number, tag, len(open_elements), scope, hinted, group))
                if tag in STRUCTURE_TAGS:
                    # A plain dict of the attributes the structure reads: the parser's own mapping
                    # cannot be pickled, and a ReadPage goes between processes.
                    kept = {name: attrib[name] for name in STRUCTURE_ATTRIBUTES if name in attrib} if attrib else {}
                    out.marks.append((number, tag, kept))
                if kind == PRE:
                    self.pre_depth += 1
            elif kind == BREAK:
                self.pieces.append(BR)
            else:
                self.link_depth += 1
                if not self.marker_depth and attrib and not self.pre_depth and permalink(attrib.get("href")):
                    self.marker_depth, self.marker_start = self.link_depth, len(self.pieces)
                if self.hrefs is not None:
                    href = attrib.get("href") if attrib else None
                    self.hrefs.append((number, href.strip() if href else None))
        out.first_line.append(len(out.text))  # after the pending text of the block around was flushed
        open_elements.append((number, kind, tags, hinted))

    def end(self, tag: str) -> None:
        if self.skip_depth:
            if self.hidden:
                self.count_hidden()
            if self.skip_depth == self.raw_depth:
                self.raw_depth = 0
                raw = "".join(self.raw)
                self.raw.clear()
                if self.raw_tag == "script":
                    self.out.jsonld.append(raw)
                elif len(raw) > SWALLOW_MIN_CHARS and SWALLOWED_MARKUP_RE.search(raw):
                    self.swallowing = True
                elif self.raw_tag == "title" and not self.out.title:
                    self.out.title = " ".join(raw.split())
            if self.skip_depth == self.quiet_depth:
                self.quiet_depth = 0
            self.skip_depth -= 1
            if not self.skip_depth:
                self.counting = False
            return
        if not self.open_elements:
            return
        number, kind, _, _ = self.open_elements.pop()
        out = self.out
        out.ends[number] = len(out.ends)
        if kind >= CONTAINER:
            if kind <= PRE:
                self.marker_depth = 0
                if self.pieces:
                    self.flush()
                self.blocks.pop()
                if kind == PRE:
                    self.pre_depth -= 1
            elif kind == LINK:
                if self.marker_depth == self.link_depth:
                    self.marker_depth = 0
                    drop_marker(self.pieces, self.link_pieces, self.link_refs, self.marker_start)
                self.link_depth -= 1
                if self.hrefs:
                    self.hrefs.pop()
        out.last_line[number] = len(out.text)

    def data(self, text: str) -> None:
        self.swallowing = False
        if self.skip_depth:
            if self.raw_depth:
                self.raw.append(text)
            elif self.counting and not self.quiet_depth:
                self.hidden.append(text)
            return
        pieces = self.pieces
        if not pieces and not self.pre_depth and text.isspace():  # whitespace that starts a block: nothing
            return
        if self.link_depth:
            self.link_pieces.append(len(pieces))
            if self.hrefs is not None:
                self.link_refs.append(self.hrefs[-1] if self.hrefs else (-1, None))
        pieces.append(text)

    def close(self) -> Segments:
        """End of the page: flush the pending text, close what is still open, and hand the page's
        segments over. A segmenter reads one page: it lets go of them and of its caches, since lxml's
        parser, once it has parsed, holds itself and its target in a reference cycle (what the target
        held would wait for the garbage collector: hundreds of objects a page)."""
        if self.pieces:
            self.flush()
        if self.hidden:
            self.count_hidden()
        out = self.out
        out.swallowed = self.swallowing
        while self.open_elements:
            number = self.open_elements.pop()[0]
            out.ends[number] = len(out.ends)
            out.last_line[number] = len(out.text)
        del self.out, self.tags_cache, self.hint_cache, self.class_ids
        return out

    def count_hidden(self) -> None:
        """Count the run of hidden text since the last tag: its characters but the white space around."""
        self.out.hidden_chars += len("".join(self.hidden).strip())
        self.hidden.clear()

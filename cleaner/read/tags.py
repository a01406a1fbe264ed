"""What HTML elements mean to the segmenter: which are skipped, which start a block, which set
paragraphs apart, and the hint words of class and id attributes (which elements hide their content:
:mod:`cleaner.read.visibility`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

# Elements whose content is never text a reader sees on the page: dropped with their subtree (their
# tail, the text after them, stays). <head> is not among them: its own children are (title, meta,
# scripts...), and on pages without a <body> tag the parser puts the whole page inside it.
SKIP_TAGS: frozenset[str] = frozenset(
    {
        "script",
        "style",
        "template",
        "noscript",
        "title",
        "meta",
        "link",
        "base",
        "svg",
        "math",
        "iframe",
        "frame",
        "object",
        "embed",
        "param",
        "canvas",
        "select",
        "option",
        "optgroup",
        "datalist",
        "button",
        "input",
        "textarea",
        "audio",
        "video",
        "source",
        "track",
        "map",
        "area",
        "img",
        "picture",
        "dialog",
    }
)
# Elements that start a new block of text. Every other element (a, span, b, em, code, custom
# elements...) is inline: its text joins the block around it.
BLOCK_TAGS: frozenset[str] = frozenset(
    {
        "html",
        "head",
        "body",
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hgroup",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "menu",
        "dir",
        "pre",
        "listing",
        "xmp",
        "plaintext",
        "blockquote",
        "figure",
        "figcaption",
        "address",
        "div",
        "center",
        "section",
        "article",
        "main",
        "header",
        "footer",
        "nav",
        "aside",
        "search",
        "form",
        "fieldset",
        "legend",
        "details",
        "summary",
        "table",
        "caption",
        "colgroup",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "hr",
        "frameset",
        "noframes",
        "marquee",
    }
)
# Blocks whose source lines are kept: each line of their text is a line.
PRE_TAGS: frozenset[str] = frozenset({"pre", "listing", "xmp", "plaintext"})
# The inline element whose characters count as link text.
LINK_TAG = "a"
# The element that splits a block into lines.
BREAK_TAG = "br"
# Stands for a <br> among a block's text pieces. lxml never yields NUL in text (libxml2 replaces it).
BR = "\x00"

# Keywords of the class and id attributes, mapped to the hints a line gets. Tokens match whole: the
# attribute value is split on non-alphanumerics and at camelCase boundaries and lower-cased, and a
# token counts only if it is a key here. So "subheader" does not give "header" (nor "context"
# "article" or "update" "byline", which prefix/suffix matching would); common compounds
# ("navbar", "sidebar", "readmore", "commentlist"...) are listed as keys of their own.
# Words of other languages count with their English kin: "kommentar", "werbung", "bildunterschrift".
_HINTS: dict[str, str] = {
    "comment": "comment comments disqus commentlist respond reply replies discussion"
    " kommentar kommentare komentarze comentarios commenti commentaires reacties",
    "share": "share sharing social facebook twitter whatsapp linkedin pinterest sharethis addthis sharebar",
    "related": "related recommend recommended recommendations more also readmore relatedposts outbrain taboola"
    " trending popular readnext upnext morestories mostread mostpopular recirculation"
    " weitere empfehlung empfehlungen verwandt polecane powiazane relacionadas relacionados correlati gerelateerd",
    "promo": "promo promoted ad ads advert adverts advertisement advertising sponsor sponsored banner banners"
    " adsense dfp advertorial adslot adunit werbung anzeige anzeigen reklama publicidad publicite",
    "nav": "nav navigation menu menus submenu breadcrumb breadcrumbs navbar topnav subnav pagination pager",
    "footer": "footer foot copyright colophon",
    "header": "header masthead topbar",
    "sidebar": "sidebar aside rail widget widgets sidebars",
    "byline": "byline author authors date dateline time meta pubdate timestamp published autor autoren datum fecha",
    "caption": "caption credit credits photo photos figcaption legend bildunterschrift legende",
    "tags": "tag tags keywords tagcloud topics",
    "cookie": "cookie cookies consent gdpr",
    "subscribe": "newsletter subscribe subscription signup login signin register paywall regwall abo",
    "article": "article articles content main post posts story entry body text maincontent postcontent"
    " entrycontent articlebody storybody prose",
}
HINT_WORDS: Mapping[str, str] = MappingProxyType(
    {word: hint for hint, words in _HINTS.items() for word in words.split()}
)

# Split class/id values: camelCase boundaries, then runs of letters and digits.
CAMEL_RE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_TOKEN_RE = re.compile(r"[^\W_]+")

# Elements that hold a single block of text, never a container of prose: not candidates for the
# densest container (a lone long paragraph would otherwise beat the article around it).
NOT_CONTAINERS = frozenset(
    {
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "pre",
        "listing",
        "xmp",
        "plaintext",
        "li",
        "dt",
        "dd",
        "caption",
        "figcaption",
        "summary",
        "legend",
        "address",
        "hr",
    }
)
# What the segmenter does with an element, by tag (absent: inline). Order matters: the block kinds
# lie between CONTAINER and PRE.
INLINE, SKIP, CONTAINER, BLOCK, PRE, BREAK, LINK = range(7)
TAG_KINDS: dict[str, int] = {
    **dict.fromkeys(SKIP_TAGS, SKIP),
    **dict.fromkeys(BLOCK_TAGS - NOT_CONTAINERS, CONTAINER),
    **dict.fromkeys(BLOCK_TAGS & NOT_CONTAINERS, BLOCK),
    **dict.fromkeys(PRE_TAGS, PRE),
    BREAK_TAG: BREAK,
    LINK_TAG: LINK,
}
NO_HINTS: frozenset[str] = frozenset()


# Blocks a reader sees set apart by vertical space: a paragraph break before and after their lines.
PARAGRAPH_TAGS = frozenset(
    {
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "listing",
        "xmp",
        "plaintext",
        "figure",
        "figcaption",
        "address",
        "caption",
        "hr",
        "legend",
        "summary",
    }
)
# Lists and tables are seen as a whole: a paragraph break before and after each outermost one.
GROUP_TAGS = frozenset({"ul", "ol", "dl", "menu", "dir", "table"})


def paragraph_break(previous: tuple[str, int], block: tuple[str, int]) -> bool:
    """Whether a reader sees a paragraph break between two blocks, each given as (tag, number of its
    outermost list or table or -1)."""
    return previous[0] in PARAGRAPH_TAGS or block[0] in PARAGRAPH_TAGS or previous[1] != block[1]


# Hint words that a page builder's own namespace makes the name of a component kind: Elementor classes
# every element it lays out "elementor-widget" (a heading, a text, an image), so that "widget" there
# says nothing of a sidebar; each such page read as a sidebar throughout, its container found in a box
# of testimonials (its own header and footer templates, "elementor-location-header", still say so).
BUILDER_WORDS = frozenset({("elementor", "widget"), ("elementor", "widgets")})


# A blog's post carries its taxonomy in its classes: WordPress writes "category-<slug>" and "tag-<slug>"
# for each of the post's categories and tags on the post's wrapper (with "hentry", the microformat of
# an entry), and on its archive pages' bodies; older themes add "author-<name>", Typepad and Movable
# Type "entry-category-<slug>" and "entry-author-<name>". The slugs and names are the post's
# subjects and author, not the element's role: "category-social-media tag-passion" made a wrapper of
# the whole story a share box and a tags list (`hint_share`, `hint_tags`: a story on social media
# dropped as a menu, F1 0.02), "author-kgs category-news" a byline. On some 300 corpus pages a post
# wrapper held such hints. A class "tag-links" or "author-bio" standing alone is the element's role
# and keeps its hints: the terms are dropped where an element holds "hentry" beside them, or two or
# more of them, one at least a category or a tag.
SUBJECT_PREFIXES = ("category-", "tag-", "entry-category-", "entry-tag-")
TAXONOMY_PREFIXES = (*SUBJECT_PREFIXES, "author-", "entry-author-")
ENTRY_CLASS = "hentry"


def without_taxonomy_terms(value: str) -> str:
    """A class/id attribute value without its taxonomy terms (see :data:`TAXONOMY_PREFIXES`)."""
    names = value.split()
    terms = [name for name in names if name.startswith(TAXONOMY_PREFIXES)]
    if not terms:
        return value
    if ENTRY_CLASS not in names and (len(terms) < 2 or not any(term.startswith(SUBJECT_PREFIXES) for term in terms)):
        return value
    return " ".join(name for name in names if not name.startswith(TAXONOMY_PREFIXES))


def hints_of(value: str) -> frozenset[str]:
    """The hint words of a class/id attribute value (but a page builder's words, :data:`BUILDER_WORDS`,
    and a post's taxonomy terms, :func:`without_taxonomy_terms`)."""
    if "tag-" in value or "category-" in value or "author-" in value:
        value = without_taxonomy_terms(value)
    found = []
    previous = ""
    for token in class_tokens(value):
        if token in HINT_WORDS and (previous, token) not in BUILDER_WORDS:
            found.append(HINT_WORDS[token])
        previous = token
    return frozenset(found) if found else NO_HINTS


def class_tokens(value: str) -> list[str]:
    """The words of a class or id attribute value: split at camelCase and at what is not a letter or
    digit, lower-cased."""
    if not value.islower():  # capitals (camelCase to split), or no letters at all
        value = CAMEL_RE.sub(" ", value).lower()
    return _TOKEN_RE.findall(value)


HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# MediaWiki (Wikipedia's software, and most wikis') puts the "[edit]" links beside each heading in an
# element of this class: controls, no part of the heading's text.
EDIT_SECTION_CLASS = "mw-editsection"


def edit_section(class_value: str | None) -> bool:
    """Whether an element's class names it as MediaWiki's edit-section links: left out, as a script is."""
    return class_value is not None and EDIT_SECTION_CLASS in class_value and EDIT_SECTION_CLASS in class_value.split()


# <main> is the page's own mark of its main content, and ARIA's role="main" the same mark on any element
# (HTML makes the two equivalent): Sphinx's and Read the Docs' themes mark their content so and have no
# <main>. The rules that read the mark (read/blocks.py, decide/parts.py) read either; among a line's
# ancestors, role="main" is recorded as MAIN_ROLE, not as a <main>, and so no markup feature reads it:
# as the <main> that the inside_main feature reads, with the models rebuilt, it cost the corpora 0.001
# to 0.0015 in two attempts (docs/experiments.md).
MAIN_TAG = "main"
MAIN_ROLE = "[role=main]"
MAIN_MARKS = frozenset({MAIN_TAG, MAIN_ROLE})


# A <figure> holds a picture with its caption and credit, which the inside_figure feature reads as such;
# a table, list, quote or code block inside one is content all the same (WordPress's block editor wraps
# every table and pull quote in a <figure>, Jekyll every code block): such an element and the blocks
# inside it are not read as inside the figure (a figure inside them is, again). Read so, a table that the
# models dropped whole inside a <figure> is read as the same table without one.
FIGURE_TAG = "figure"
FIGURE_CONTENT_TAGS = frozenset({"table", "ul", "ol", "dl", "blockquote", "pre"})
_FIGURE_ONLY = frozenset({FIGURE_TAG})


def figure_scope(parent_tags: frozenset[str], tag: str) -> frozenset[str]:
    """The ancestor tags an element ``tag`` opened inside elements ``parent_tags`` is read inside:
    ``parent_tags``, less the figure for a table, list, quote or code block in one (see
    :data:`FIGURE_CONTENT_TAGS`)."""
    if tag in FIGURE_CONTENT_TAGS and FIGURE_TAG in parent_tags:
        return parent_tags - _FIGURE_ONLY
    return parent_tags


def main_role(role: str | None) -> bool:
    """Whether an element's role attribute makes it the page's main content: ARIA takes an element's
    first role token, compared without case."""
    if role is None:
        return False
    first = role.split(None, 1)
    return bool(first) and first[0].lower() == MAIN_TAG


def permalink(href: str | None) -> bool:
    """Whether a link may be a sign that only points within the page: its target is a fragment of the
    page. Its text is left out when, whole, it holds no letter or digit: the ¶, #, § or icon of a
    heading's or a definition's permalink (Sphinx, MkDocs, rustdoc, GitHub), a footnote's * or †, a
    reference's ^ or ↑ back to the text (:func:`cleaner.read.pieces.drop_marker`; not inside <pre>)."""
    return href is not None and href.lstrip().startswith("#")


# The <meta> keys of a page's description, in order of trust (the metadata's and the lede rule's:
# cleaner.metadata.keys, cleaner.decide.head).
META_DESCRIPTION_KEYS = ("og:description", "twitter:description", "description", "dc.description")

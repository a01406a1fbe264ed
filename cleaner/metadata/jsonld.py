"""JSON-LD (``<script type="application/ld+json">``): what a page's schema.org data says about it.

:func:`load_jsonld` reads one script's text leniently: strict JSON first, then a repaired copy (HTML
comments and CDATA markers removed, control characters allowed, trailing commas dropped, several
concatenated values read one after the other); what still fails is given up silently.

:func:`read_jsonld` walks the values of all scripts of a page and picks the node that describes the
page: the first article-like node (``NewsArticle``, ``Article``, ``BlogPosting``...), else the first
page-like node (``WebPage``...). Nodes are looked for at the top level, in lists, in ``@graph`` arrays
and in a page's ``mainEntity``; not inside other properties (an ``ItemList`` of related articles
describes other pages). ``{"@id": ...}`` references (common in ``@graph`` data) are resolved against
the nodes of the page.

Values of the wrong type (a number for a headline, a list where a string belongs) are skipped, never
an error.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from cleaner.metadata.strings import tidy

__all__ = ["ARTICLE_TYPES", "PAGE_TYPES", "WORK_TYPES", "JsonLdInfo", "jsonld_types", "load_jsonld", "read_jsonld"]

# schema.org types that describe an article: the node to read first.
ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "reviewnewsarticle",
        "backgroundnewsarticle",
        "askpublicquestionarticle",
        "satiricalarticle",
        "blogposting",
        "liveblogposting",
        "socialmediaposting",
        "discussionforumposting",
        "techarticle",
        "scholarlyarticle",
        "medicalscholarlyarticle",
        "report",
        "advertisercontentarticle",
    }
)
# Other works a page may be about: read when no article node is there (a video or a recipe page; but
# on an article page, a VideoObject is usually an embedded clip, hence not first).
WORK_TYPES = frozenset({"review", "recipe", "howto", "creativework", "videoobject", "podcastepisode", "question"})
# schema.org types that describe a web page: read when no article node is there.
PAGE_TYPES = frozenset(
    {
        "webpage",
        "itempage",
        "aboutpage",
        "faqpage",
        "profilepage",
        "collectionpage",
        "searchresultspage",
        "medicalwebpage",
        "realestatelisting",
        "contactpage",
        "checkoutpage",
    }
)
_WEBSITE_TYPES = frozenset({"website"})
_PERSON_TYPES = frozenset({"person"})
# A script longer than this is not metadata (some pages inline whole product catalogues).
MAX_SCRIPT_CHARS = 2_000_000
# Nodes visited per page, and how deep: bounds the work on hostile or generated data.
MAX_NODES = 5_000
MAX_DEPTH = 12
# A string field longer than this is junk (a whole article pasted in a headline).
MAX_FIELD_CHARS = 1_000

# HTML comment and CDATA markers around a script's JSON, with the JavaScript comment and the blanks
# before them. The blanks are matched from the start of their run only: "[ \t]*" tried at every
# position of a long run of blanks took time growing as the square of its length.
_COMMENT_RE = re.compile(r"(?:(?://|/\*)[ \t]*|(?<![ \t])[ \t]+)?(?:<!--|-->|<!\[CDATA\[|\]\]>)(?:[ \t]*\*/)?")
_TRAILING_COMMA_RE = re.compile(r",\s*(?=[}\]])")
# Control characters JSON forbids even with strict=False outside strings.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# A "\ud83d" escape without its pair (JavaScript cuts strings in UTF-16 units, an emoji in half) decodes
# to a lone surrogate, a character no UTF-8 output can hold: a title holding one made every JSON writer
# of the page fail. Such characters are read as U+FFFD, as the HTML parser reads "&#xD83D;".
_SURROGATE_ESCAPE_RE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE_RE = re.compile("[\ud800-\udfff]")
# Markup some sites leave in an article's text: where a block ends, a paragraph does; other tags go.
_BLOCK_END_RE = re.compile(r"<br\s*/?>|</(?:p|div|h[1-6]|li|blockquote|tr|figcaption)\s*>", re.IGNORECASE)
_TAG_RE = re.compile(r"<[^<>]*>")


@dataclass(frozen=True)
class JsonLdInfo:
    """What the page's JSON-LD says; every field may be empty."""

    title: str | None = None
    authors: tuple[str, ...] = ()
    date_published: str | None = None
    date_modified: str | None = None
    site_name: str | None = None
    description: str | None = None
    language: str | None = None
    url: str | None = None
    body: str | None = None
    """The article's text as the page's data gives it (``articleBody``, or ``text``)."""
    paragraphs: tuple[str, ...] = ()
    """The same text, paragraph by paragraph (its line breaks, or the markup some sites leave in it)."""


def load_jsonld(text: str) -> list[object]:
    """The JSON values in one script's text: [] when it holds none that can be read. Lone surrogates
    are read as U+FFFD (see :data:`_SURROGATE_ESCAPE_RE`)."""
    if not text or len(text) > MAX_SCRIPT_CHARS:
        return []
    try:
        values = [json.loads(text)]
    except (ValueError, RecursionError):
        repaired = _CONTROL_RE.sub(" ", _COMMENT_RE.sub("", text)).strip().rstrip(";")
        values = _decode_all(_TRAILING_COMMA_RE.sub("", repaired))
    if _SURROGATE_ESCAPE_RE.search(text) is None:
        return values
    try:
        return _without_surrogates(values)
    except RecursionError:  # nested as deep as the decoder allows: read as unreadable
        return []


def _without_surrogates(value: object) -> object:
    """``value`` (decoded JSON) with every lone surrogate of its strings replaced by U+FFFD."""
    if isinstance(value, str):
        return _LONE_SURROGATE_RE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_without_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {_without_surrogates(key): _without_surrogates(item) for key, item in value.items()}
    return value


def _decode_all(text: str) -> list[object]:
    """Every JSON value of ``text``, read one after the other (``{...}{...}``); stops at the first error."""
    decoder = json.JSONDecoder(strict=False)
    values: list[object] = []
    position = 0
    while position < len(text):
        while position < len(text) and text[position] in " \t\r\n,;":
            position += 1
        if position >= len(text):
            break
        try:
            value, position = decoder.raw_decode(text, position)
        except (ValueError, RecursionError):
            break
        values.append(value)
    return values


def _types(node: Mapping[str, object]) -> set[str]:
    """A node's ``@type``s, lower-case and without a vocabulary prefix ("http://schema.org/Article" -> "article")."""
    raw = node.get("@type")
    values = raw if isinstance(raw, list) else [raw]
    return {value.rsplit("/", 1)[-1].rsplit(":", 1)[-1].strip().lower() for value in values if isinstance(value, str)}


def _nodes(values: list[object]) -> Iterator[Mapping[str, object]]:
    """Candidate nodes in document order: top-level objects, list members, ``@graph`` members, ``mainEntity``."""
    stack: list[tuple[object, int]] = [(value, 0) for value in reversed(values)]
    visited = 0
    while stack and visited < MAX_NODES:
        value, depth = stack.pop()
        visited += 1
        if depth > MAX_DEPTH:
            continue
        if isinstance(value, list):
            stack.extend((item, depth + 1) for item in reversed(value))
        elif isinstance(value, dict):
            yield value
            children = [value.get("@graph"), value.get("mainEntity")]
            stack.extend((child, depth + 1) for child in reversed(children) if child is not None)


def _single(value: object) -> object:
    """A field's value, or the first of its values when it is given as a list; a JSON-LD value object
    (``{"@value": "2024-03-03"}``) gives its value."""
    value = value[0] if isinstance(value, list) and value else value
    return value.get("@value") if isinstance(value, dict) and "@value" in value else value


def _string(value: object) -> str | None:
    """A usable string value: whitespace collapsed, not empty, not absurdly long."""
    return tidy(_single(value), MAX_FIELD_CHARS)


def _body(value: object) -> str | None:
    """An article's text: as :func:`_string`, but as long as it is (an article is longer than a field)."""
    return tidy(_single(value))


def _paragraphs(value: object) -> tuple[str, ...]:
    """An article's text cut into its paragraphs (each as :func:`_body` tidies a text); () if none."""
    value = _single(value)
    if not isinstance(value, str):
        return ()
    if "<" in value:
        value = _TAG_RE.sub(" ", _BLOCK_END_RE.sub("\n", value))
    return tuple(filter(None, map(tidy, value.splitlines())))


def _name(value: object, index: Mapping[str, Mapping[str, object]]) -> str | None:
    """The name of a thing given as a string or as a node (resolving ``@id`` references)."""
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, dict):
        node = _resolve(value, index)
        parts = (_string(node.get("givenName")), _string(node.get("familyName")))
        given = " ".join(part for part in parts if part) or None
        return _string(node.get("name")) or _string(node.get("alternateName")) or given
    return None


def _resolve(node: Mapping[str, object], index: Mapping[str, Mapping[str, object]]) -> Mapping[str, object]:
    """The full node a bare ``{"@id": ...}`` reference points to, or the node itself."""
    ref = node.get("@id")
    if isinstance(ref, str) and len(node) <= 2 and ref in index:
        return index[ref]
    return node


def _authors(value: object, index: Mapping[str, Mapping[str, object]]) -> tuple[str, ...]:
    """Author names from a string, a Person/Organization node, or a list of them.

    People are kept over organizations when both are there (a newsroom listed beside its reporters).
    """
    people: list[str] = []
    others: list[str] = []
    for item in _flat(value)[:MAX_NODES]:
        node = _resolve(item, index) if isinstance(item, dict) else None
        names = node.get("name") if node is not None else None
        # A node may name several people at once: {"name": ["Ann Lee", "Bob Roy"]}.
        found = [_string(name) for name in names] if isinstance(names, list) else [_name(item, index)]
        # A plain string or an untyped node is taken for a person.
        types = _types(node) if node is not None else set()
        target = people if not types or types & _PERSON_TYPES else others
        for name in found:
            if name and name not in target:
                target.append(name)
    return tuple(people or others)


def _flat(value: object) -> list[object]:
    """A value's items, lists within lists taken apart (as some pages nest their authors)."""
    items: list[object] = []
    stack = [(value, 0)]
    while stack and len(items) < MAX_NODES:
        item, depth = stack.pop()
        if isinstance(item, list) and depth < MAX_DEPTH:
            stack.extend((child, depth + 1) for child in reversed(item))
        elif not isinstance(item, list):
            items.append(item)
    return items


def _url(value: object, index: Mapping[str, Mapping[str, object]]) -> str | None:
    """A URL given as a string or as a node's ``@id`` / ``url``."""
    if isinstance(value, dict):
        value = value.get("@id") or value.get("url")
    text = _string(value)
    if not text or not text.startswith(("http://", "https://", "/")):
        return None
    # "@id"s often name a node inside the page: "https://site/article#article".
    return text.split("#", 1)[0] or None


def _language(value: object) -> str | None:
    if isinstance(value, dict):
        return _string(value.get("alternateName")) or _string(value.get("name"))
    return _string(value)


def _load_all(scripts: list[str]) -> list[object]:
    """The JSON values of every script, in document order."""
    return [value for text in scripts for value in load_jsonld(text)]


def jsonld_types(scripts: list[str]) -> frozenset[str]:
    """The schema.org types of every node of the JSON-LD scripts of a page, as :func:`_types` writes them."""
    return frozenset(kind for node in _nodes(_load_all(scripts)) for kind in _types(node))


def read_jsonld(scripts: list[str]) -> JsonLdInfo:
    """What the JSON-LD scripts of a page (their texts, in document order) say about the page."""
    nodes = list(_nodes(_load_all(scripts)))
    index = {node["@id"]: node for node in nodes if isinstance(node.get("@id"), str)}
    article = next((node for node in nodes if _types(node) & ARTICLE_TYPES), None) or next(
        (node for node in nodes if _types(node) & WORK_TYPES), None
    )
    page = next((node for node in nodes if _types(node) & PAGE_TYPES), None)
    website = next((node for node in nodes if _types(node) & _WEBSITE_TYPES), None)
    main = article or page
    if main is None:
        return JsonLdInfo(site_name=_name(website.get("name"), index) if website else None)
    # Fields the article node lacks may be on its page node (often so in @graph data).
    sources = [node for node in (article, page) if node is not None]

    def first(read, *keys: str):
        for node in sources:
            for key in keys:
                found = read(node.get(key))
                if found:
                    return found
        return None

    publisher = first(lambda value: _name(value, index), "publisher", "sourceOrganization")
    site = _name(website.get("name"), index) if website else None
    return JsonLdInfo(
        title=first(_string, "headline", "name", "alternativeHeadline"),
        authors=first(lambda value: _authors(value, index), "author", "creator") or (),
        date_published=first(_string, "datePublished", "dateCreated", "uploadDate"),
        date_modified=first(_string, "dateModified"),
        site_name=publisher or site,
        description=first(_string, "description"),
        language=first(_language, "inLanguage"),
        url=first(lambda value: _url(value, index), "url", "mainEntityOfPage"),
        body=first(_body, "articleBody", "text"),
        paragraphs=first(_paragraphs, "articleBody", "text") or (),
    )

"""Page metadata: title, author, date, language, canonical URL, site name and description of an HTML page.

Every field is read from the most trusted source that has it (see :func:`extract_metadata`); a field
no source gives is None. Nothing here raises on a broken page: unreadable JSON-LD, junk dates, values
of the wrong type and missing elements all end as None.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from functools import cache
from itertools import chain
from urllib.parse import urljoin, urlsplit

from lxml import etree

from cleaner.errors import BinaryInputError
from cleaner.languages import primary_language
from cleaner.metadata.authors import author_names, join_authors
from cleaner.metadata.dates import parse_date_value
from cleaner.metadata.jsonld import JsonLdInfo, read_jsonld
from cleaner.metadata.keys import (
    AUTHOR_KEYS,
    DESCRIPTION_KEYS,
    LANGUAGE_KEYS,
    MODIFIED_KEYS,
    PUBLISHED_KEYS,
    SITE_KEYS,
    TITLE_KEYS,
    URL_KEYS,
)
from cleaner.metadata.other_text import OtherText
from cleaner.metadata.strings import tidy
from cleaner.metadata.tags import PageTags, read_tags
from cleaner.metadata.titles import clean_title, normalise_for_compare, resembles, site_keys
from cleaner.metadata.visible import Byline, read_byline
from cleaner.read.decode import decode_html
from cleaner.urls import page_base

__all__ = ["Metadata", "decode_page", "extract_metadata", "metadata_from_html", "primary_language"]

# Yoast (WordPress) writes the author as twitter:data1 after twitter:label1 "Written by" / "Verfasst von"...
_LABEL_AUTHOR_RE = re.compile(r"written|author|verfasst|auteur|autor|geschreven|écrit|scritto|escrito", re.IGNORECASE)

# A full date in a URL path: /2021/03/12/, /2021-03-12-, /20210312/.
_URL_DATE_RE = re.compile(
    r"/((?:19|20)\d\d)[/-]([01]?\d)[/-]([0-3]?\d)(?=[/_-]|\.html?|$)|/((?:19|20)\d\d)([01]\d)([0-3]\d)/"
)
# A timestamp in UTC: "...T04:02:23Z", "+00:00", "GMT".
_UTC_RE = re.compile(r"(\d\d?):\d\d(?::\d\d(?:\.\d+)?)?\s*(?:Z|[+-]00:?00|GMT|UTC)\s*$", re.IGNORECASE)
# UTC hours at which a page's local date may be the day before (Americas, up to UTC-10) or after
# (Asia and Oceania, up to UTC+10).
_EARLY_UTC_HOUR = 10
_LATE_UTC_HOUR = 14
# Dates a time zone apart.
ONE_DAY = dt.timedelta(days=1)
# Titles and names longer than this are not titles.
MAX_TITLE_CHARS = 500


@dataclass(frozen=True)
class Metadata:
    """What a page says about itself; every field is a string or None.

    ``date`` is ``YYYY-MM-DD``; ``language`` the lower-case primary language subtag ("de" for "de-AT");
    ``author`` one name, or several joined with "; "; ``url`` the canonical URL, absolute.
    """

    title: str | None = None
    author: str | None = None
    date: str | None = None
    language: str | None = None
    url: str | None = None
    site_name: str | None = None
    description: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        """The fields as a dict, in declaration order."""
        return asdict(self)


def _first(values: Iterable[str | None], read: Callable[[str], str | None]) -> str | None:
    for value in values:
        if value:
            found = read(value)
            if found:
                return found
    return None


def _absolute_url(value: str | None, base: str | None) -> str | None:
    """``value`` resolved against ``base``, if the result is an http(s) URL."""
    if not value:
        return None
    try:
        resolved = urljoin(base, value.strip()) if base else value.strip()
        scheme = urlsplit(resolved).scheme
    except ValueError:
        return None
    return resolved if scheme in ("http", "https") else None


def _url_date(url: str | None) -> str | None:
    if not url:
        return None
    match = _URL_DATE_RE.search(url)
    if not match:
        return None
    year, month, day = (group for group in match.groups() if group)
    return parse_date_value(f"{year}-{int(month):02d}-{int(day):02d}")


def _short(value: str | None) -> str | None:
    return tidy(value, MAX_TITLE_CHARS)


def _language_tag(tags: PageTags, info: JsonLdInfo) -> str | None:
    """The page's language tag as written: <html lang>, then http-equiv / meta language, og:locale, JSON-LD."""
    candidates = [tags.html_lang, *tags.meta(*LANGUAGE_KEYS), *tags.meta("og:locale"), info.language]
    return next((tag.strip() for tag in candidates if primary_language(tag)), None)


def _title(tags: PageTags, info: JsonLdInfo, site_names: tuple[str, ...], url: str | None) -> str | None:
    heading = _short(tags.heading)
    # (title, whether it is a <title>, whose trailing section names go too)
    candidates = [(info.title, False), *((value, False) for value in tags.meta(*TITLE_KEYS)), (tags.title, True)]
    for candidate, is_title_element in candidates:
        title = clean_title(_short(candidate), site_names, url, heading, drop_tail=is_title_element)
        # A title that is only the site's name says nothing about the page.
        if title and normalise_for_compare(title) not in {normalise_for_compare(name) for name in site_names}:
            return title
    return heading


def _candidate_names(value: str, title: str | None) -> list[str]:
    """Names in a byline-classed element's text, unless the text is the headline (linked authors' pages)."""
    if title and normalise_for_compare(value) == normalise_for_compare(title):
        return []
    return author_names(value)


def _authors(
    tags: PageTags, info: JsonLdInfo, title: str | None, keys: set[str], byline: Callable[[], Byline]
) -> str | None:
    """Authors from JSON-LD, else <meta>, else the byline by the headline, else byline-classed elements.

    Names that are only the site's name ("n-tv NACHRICHTEN" on n-tv.de) give way to a later source
    that names someone else.
    """
    sources: list[Callable[[], list[str]]] = [
        lambda: [name for value in info.authors for name in author_names(value)],
        lambda: next((found for value in _meta_authors(tags) if (found := author_names(value))), []),
        # The byline next to the headline before bylines found anywhere by their class: a page's
        # lists of other articles have "author" classes too.
        lambda: list(byline().authors),
        lambda: next((found for value in tags.candidates().authors if (found := _candidate_names(value, title))), []),
    ]
    fallback: list[str] = []
    for source in sources:
        names = source()
        if names and not all(resembles(name, keys) for name in names):
            return join_authors(names)
        fallback = fallback or names
    return join_authors(fallback)


def _meta_authors(tags: PageTags) -> list[str]:
    values = tags.meta(*AUTHOR_KEYS)
    labels, data = tags.meta("twitter:label1"), tags.meta("twitter:data1")
    if labels and data and _LABEL_AUTHOR_RE.search(labels[0]):
        values.append(data[0])
    return values


def _shown_if_a_day_apart(date: str | None, byline: Callable[[], Byline], utc_hour: int | None = None) -> str | None:
    """The date shown by the headline if it is a day from ``date`` (see :func:`_date`), else ``date``.

    ``utc_hour``: the hour of a UTC timestamp ``date`` comes from. Only a time near midnight can fall
    on another day in the zone of the page's readers: before :data:`_EARLY_UTC_HOUR`, the day before
    (the Americas); from :data:`_LATE_UTC_HOUR`, the day after (Asia, Oceania).
    """
    if not date or (utc_hour is not None and _EARLY_UTC_HOUR <= utc_hour < _LATE_UTC_HOUR):
        return date  # no other day to take: the byline is not read
    shown = byline().date
    if not shown:
        return date
    difference = dt.date.fromisoformat(shown) - dt.date.fromisoformat(date)
    if utc_hour is None and abs(difference) == ONE_DAY:
        return shown
    if utc_hour is not None and (
        (difference == -ONE_DAY and utc_hour < _EARLY_UTC_HOUR)
        or (difference == ONE_DAY and utc_hour >= _LATE_UTC_HOUR)
    ):
        return shown
    return date


def _candidate_dates(tags: PageTags, *, strong: bool) -> Iterator[str]:
    """The page's strong date candidates (strength 0 or 1), or its weak ones; the candidates are only
    looked for when this is first read (a date the page declares makes them needless)."""
    for value, strength in tags.candidates().dates:
        if (strength <= 1) == strong:
            yield value


def _date(
    tags: PageTags, info: JsonLdInfo, language: str | None, urls: list[str | None], byline: Callable[[], Byline]
) -> str | None:
    def read(value: str) -> str | None:
        return parse_date_value(value, language)

    declared = [info.date_published, *tags.meta(*PUBLISHED_KEYS)]
    raw = next((value for value in chain(declared, _candidate_dates(tags, strong=True)) if read(value)), None)
    if raw:
        # A timestamp in UTC often falls on the day after (or before) the date the page shows its
        # readers (a US evening is the next morning in UTC): the shown date is the one meant.
        utc = _UTC_RE.search(raw)
        return _shown_if_a_day_apart(read(raw), byline, int(utc.group(1))) if utc else read(raw)
    from_url = _first(urls, _url_date)
    if from_url:
        # A URL dates the draft; the page may have gone out after midnight.
        return _shown_if_a_day_apart(from_url, byline)
    return (
        byline().date
        or _first(_candidate_dates(tags, strong=False), read)
        # A modification date is a better guess than none: the page was published by then.
        or _first([info.date_modified, *tags.meta(*MODIFIED_KEYS)], read)
    )


def extract_metadata(root: etree._Element | etree._ElementTree | None, url: str | None = None) -> Metadata:
    """The metadata of a parsed HTML page (any element of its lxml tree, or the tree).

    Each field from the first source that gives a usable value, most trusted first:

    * title: JSON-LD ``headline``/``name``, ``og:title``, ``twitter:title``, other ``<meta>`` titles,
      the ``<title>`` (each less its site-name part, see :mod:`cleaner.metadata.titles`), the first
      ``<h1>``;
    * author: JSON-LD ``author``, ``<meta>`` author names (``author``, ``article:author``, Dublin Core...),
      the byline next to the headline (:mod:`cleaner.metadata.visible`), elements whose class says
      "author" or "byline"; a source naming only the site gives way to a later one naming someone;
    * date: JSON-LD ``datePublished``, ``article:published_time`` and other ``<meta>`` publication
      dates, ``itemprop="datePublished"`` and ``<time>`` elements of the article; else a date in the
      URL; else the byline next to the headline; else byline-like elements; else, as a last resort,
      a modification date. A UTC timestamp near midnight, or a URL's date, that is a day away from
      the date shown next to the headline gives way to the shown date (the readers' time zone);
    * language: ``<html lang>``, ``<meta http-equiv="content-language">``, ``og:locale``, JSON-LD
      ``inLanguage`` (a page's own declaration is the most direct), as its primary subtag;
    * url: ``<link rel="canonical">``, ``og:url``, JSON-LD ``url`` / ``mainEntityOfPage``, resolved
      against ``url`` (where the page came from), else ``url`` itself;
    * site_name: JSON-LD ``publisher``, ``og:site_name``, ``application-name``...;
    * description: JSON-LD ``description``, ``og:description``, ``twitter:description``,
      ``<meta name="description">``.
    """
    if root is None:
        return Metadata()
    try:
        if isinstance(root, etree._ElementTree):
            root = root.getroot()
        root = root.getroottree().getroot()
    except (AttributeError, ValueError):
        return Metadata()
    if root is None or not isinstance(root.tag, str):
        return Metadata()
    # One judge of other text (comments, sidebars...) for the tags and the byline: its verdicts are the page's.
    other = OtherText(root)
    tags = read_tags(root, other)
    info = read_jsonld(tags.jsonld)
    site_names = tuple(name for name in (info.site_name, *map(_short, tags.meta(*SITE_KEYS))) if name)
    site_name = site_names[0] if site_names else None
    base = page_base(tags.base, url)
    canonical = _first([tags.canonical, *tags.meta(*URL_KEYS), info.url], lambda value: _absolute_url(value, base))
    page_url = canonical or _absolute_url(url, None)
    language = _language_tag(tags, info)
    title = _title(tags, info, site_names, page_url)

    @cache
    def byline() -> Byline:
        # Rendering the page's lines costs a walk over the tree: only when other sources fall short.
        return read_byline(root, title, language, other)

    return Metadata(
        title=title,
        author=_authors(tags, info, title, site_keys(site_names, page_url), byline),
        date=_date(tags, info, language, [url, canonical], byline),
        language=primary_language(language),
        url=page_url,
        site_name=site_name,
        description=_first([info.description, *tags.meta(*DESCRIPTION_KEYS)], tidy),
    )


def decode_page(html: bytes) -> str:
    """Bytes of a page as text, decoded as the page reader decodes them
    (:func:`cleaner.read.decode.decode_html`); "" for bytes that are no page (an image, binary)."""
    try:
        return decode_html(html).text
    except BinaryInputError:
        return ""


def metadata_from_html(html: str | bytes | None, url: str | None = None) -> Metadata:
    """The metadata of a page given as HTML text or bytes (parsed with lxml, no network access)."""
    if isinstance(html, (bytes, bytearray)):
        html = decode_page(bytes(html))
    if not isinstance(html, str) or not html.strip():
        return Metadata()
    parser = etree.HTMLParser(no_network=True, huge_tree=True, remove_pis=True)
    try:
        root = etree.fromstring(html.replace("\x00", ""), parser)
    except (etree.LxmlError, ValueError):
        return Metadata()
    return extract_metadata(root, url)

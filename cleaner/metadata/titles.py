"""Titles: a page's ``<title>`` (or ``og:title``) without the site-name part.

Pages name themselves "Headline | Site", "Headline - Section - Site", "Site :: Headline". The title is
split on the separators of :data:`SEPARATOR_RE` (with spaces around them, so "COVID-19" and
"Jean-Luc" stay whole), and parts are dropped from either end:

1. parts that resemble the site name (given by the page's metadata) or its domain name, from both ends;
2. if a heading (the page's first ``h1``) equals one of the remaining parts, or the remaining parts
   joined from the first, that part or prefix is the title;
3. otherwise, for a ``<title>`` (``drop_tail=True``), trailing parts shorter than the part before them
   are dropped ("Headline - Section - Site" keeps "Headline"), but never a part that holds most of
   the words. Headlines written for machines (JSON-LD, Open Graph) keep such parts: there
   "Fire in Berlin – Heavy smoke" is the headline.

Korean pages separate with "ㅣ" (a Hangul letter drawn as a bar), with or without spaces.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

__all__ = ["SEPARATOR_RE", "clean_title", "normalise_for_compare", "resembles", "site_keys"]

# Separators between a headline and its site or section: with spaces around, as titles write them.
SEPARATOR_RE = re.compile(r"\s+(?:\||-|–|—|::|·|•|»|«|›|‹|~)\s+|\s*[｜ㅣ]\s*")
# A trailing part with at least this share of the title's words is part of the headline.
_MAX_DROPPED_SHARE = 0.5
# Parts of a domain name that say nothing about the site's name.
_DOMAIN_NOISE = frozenset({"www", "m", "mobile", "amp", "edition", "news", "com", "co", "org", "net"})


def normalise_for_compare(text: str) -> str:
    """Lower-case letters and digits only, accents dropped: for comparing names and titles."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(filter(str.isalnum, decomposed))


def site_keys(site_names: tuple[str, ...], url: str | None) -> set[str]:
    """Normalised forms of the site's names, and the distinctive labels of its host name."""
    keys = {normalise_for_compare(name) for name in site_names}
    if url:
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:
            host = ""
        labels = [label for label in host.split(".") if label and label not in _DOMAIN_NOISE]
        # "derstandard.at": the label before the top-level domain names the site.
        if len(labels) >= 2:
            keys.add(normalise_for_compare(labels[-2]))
            keys.add(normalise_for_compare("".join(labels[-2:])))
    return {key for key in keys if len(key) >= 2}


def resembles(part: str, keys: set[str]) -> bool:
    """Whether a title part names the site: equal to a key, or one contains the other ("derStandard.at")."""
    text = normalise_for_compare(part)
    if not text:
        return True
    for key in keys:
        if text == key or (len(key) >= 4 and key in text and len(text) <= 2 * len(key) + 4):
            return True
        if len(text) >= 4 and text in key:
            return True
    return False


def _words(text: str) -> int:
    return len(text.split())


def clean_title(
    title: str | None,
    site_names: tuple[str, ...] = (),
    url: str | None = None,
    heading: str | None = None,
    *,
    drop_tail: bool = True,
) -> str | None:
    """``title`` without its site-name part (see the module's docstring); None for an empty title."""
    if not title:
        return None
    title = " ".join(title.split())
    parts = SEPARATOR_RE.split(title)
    if len(parts) == 1:
        return title or None
    separators = SEPARATOR_RE.findall(title)
    keys = site_keys(site_names, url)
    start, end = 0, len(parts)
    while end - start > 1 and resembles(parts[end - 1], keys):
        end -= 1
    while end - start > 1 and resembles(parts[start], keys):
        start += 1
    if heading:
        found = _match_heading(parts[start:end], separators[start : end - 1], heading)
        if found:
            return found
    total = sum(_words(part) for part in parts[start:end])
    while drop_tail and end - start > 1:
        last, before = parts[end - 1], parts[end - 2]
        if len(last) >= len(before) or _words(last) > total * _MAX_DROPPED_SHARE:
            break
        end -= 1
    return _join(parts[start:end], separators[start : end - 1]) or None


def _join(parts: list[str], separators: list[str]) -> str:
    text = parts[0] if parts else ""
    for separator, part in zip(separators, parts[1:]):
        text += separator + part
    return text.strip()


def _match_heading(parts: list[str], separators: list[str], heading: str) -> str | None:
    """The part, or the prefix of parts, that equals the heading."""
    target = normalise_for_compare(heading)
    if not target:
        return None
    for size in range(len(parts), 0, -1):
        candidate = _join(parts[:size], separators[: size - 1])
        if normalise_for_compare(candidate) == target:
            return candidate
    for part in parts:
        if normalise_for_compare(part) == target:
            return part
    return None

"""Language tags as pages declare them (``<html lang>``, Content-Language, og:locale): which values are
tags at all, and their primary subtag."""

from __future__ import annotations

import re

# A BCP 47 tag: a primary language subtag of two or three letters, then subtags of the shapes BCP 47
# allows (a script, a region of two letters or three digits, a variant), then extensions ("-u-ca-
# japanese") and a private part ("-x-..."). Values pages put there that are no language ("UTF-8",
# "iso-8859-1", "Japanese") do not match.
_LANGUAGE_TAG_RE = re.compile(
    r"^([a-zA-Z]{2,3})(?:[-_](?:[A-Za-z]{2,8}|\d{3}|\d[0-9A-Za-z]{3}))*"
    r"(?:[-_][0-9A-WYZa-wyz](?:[-_][0-9A-Za-z]{2,8})+)*(?:[-_][xX](?:[-_][0-9A-Za-z]{1,8})+)?$"
)
# Codes that name no language: undetermined, several, uncoded, no linguistic content.
_NO_LANGUAGE = frozenset({"und", "mul", "mis", "zxx"})


def primary_language(tag: object) -> str | None:
    """The primary subtag of a language tag, lower-case: "de-AT" -> "de", "en_US" -> "en"; None if not a tag."""
    if not isinstance(tag, str):
        return None
    match = _LANGUAGE_TAG_RE.match(tag.strip())
    primary = match.group(1).lower() if match else None
    return None if primary in _NO_LANGUAGE else primary

"""Author names: from a metadata value ("John Smith and Jane Doe") or a byline ("By John Smith, 12 March").

:func:`author_names` cleans a value that is meant to name the authors: a leading "By"/"Von"/"Par"...
goes, the text is cut where a date, a time, a separator ("|", "•") or a word that starts the rest of
a byline ("on", "updated", "le", "am"...) begins, and what is left is split into names on "and",
"&", "und", "et", "y", "e", "en", "och", "og", ";" and on commas between names. URLs, e-mail
addresses, @handles and parts that cannot be names (too long, no letters) are dropped. Commas followed
by something that is not a name are an affiliation or a role: "John Smith, Staff Writer" gives
"John Smith".

:func:`byline_author` reads a free line (from plain text): it needs the line to start with a byline
word ("By", "Par", "Von", "Por", "Di", "Door", "Av", "Af", "Author:"...), so ordinary sentences are not
taken for bylines.
"""

from __future__ import annotations

import re

from cleaner.metadata.dates import find_dates
from cleaner.metadata.strings import tidy

__all__ = ["AUTHOR_SEPARATOR", "author_names", "byline_author", "join_authors"]

# How several authors are joined in Metadata.author.
AUTHOR_SEPARATOR = "; "
# A name longer than this is a sentence, a bio or a list of topics.
MAX_NAME_CHARS = 60
MAX_NAME_WORDS = 6
# Authors kept per page: more is a list of contributors or a parsing accident.
MAX_AUTHORS = 10

# Words that open a byline, in the listed languages; "Written by", "Text:", "Autor:".
_SAFE_PREFIX = (
    r"(?:(?:written|posted|reported|story|text|words|photos?\s+and\s+text)\s+by|by|par|von|por|door|przez|från|"
    r"kirjoittanut|yazan|írta|text|texte|autor(?:in)?|auteure?|autore|author|skribent|toimittaja|yazar|szerző)"
)
# Short prefixes that are also the start of names ("Di Maria", "Da Silva", "Af Klint"): stripped only
# from lines known to be bylines.
_BYLINE_PREFIX = r"(?:" + _SAFE_PREFIX + r"|di|da|av|af)"
_PREFIX_RE = re.compile(r"^\s*[-–—•·|]?\s*" + _SAFE_PREFIX + r"\s*[:.]?\s+", re.IGNORECASE)
_BYLINE_PREFIX_RE = re.compile(r"^\s*[-–—•·|]?\s*" + _BYLINE_PREFIX + r"\s*[:.]?\s+", re.IGNORECASE)
# "All Posts by Mike Sansone", "Tablets by Xiomara Blanco": a few words, then "by" (not past a
# separator: "Ann Lee | Photos by Bob Roy" names its author first).
_LEADING_BY_RE = re.compile(r"^[^|•·\n]{0,30}?\bby\s*:?\s+", re.IGNORECASE)
# A line starting with a byline word followed by a capitalised word (or a name in a caseless script).
_BYLINE_RE = re.compile(r"^\s*" + _BYLINE_PREFIX + r"\s*:?\s+(?=[^\W\d_])", re.IGNORECASE)
# Where the name part of a byline ends: a separator, a time, a URL, a short word that starts the rest of
# a byline (case-sensitive: "On", "Le" and "The" start names too), or a longer word that says what
# follows (any case), or a weekday.
_CUT_RE = re.compile(
    r"\s*(?:[|•·\n\r\t()\[\]]|\s[-–—/]\s|\d{1,2}:\d\d|https?://|"
    r"\b(?:on|at|am|um|le|el|il|em|op|den|the|in|for)\b|"
    r"(?i:\b(?:updated|published|posted|veröffentlicht|aktualisiert|publié|mis à jour|publicado|actualizado|"
    r"pubblicato|gepubliceerd|opublikowano|publicerad|julkaistu|publikováno|monday|tuesday|wednesday|thursday|"
    r"friday|saturday|sunday|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|"
    r"jeudi|vendredi|samedi|dimanche)\b))"
)
# Case-sensitive: "John A Smith" has a middle initial, not the Czech "a". The one-letter conjunctions
# ("a", "e", "i", "y") split only between names of two words or more: "Just a Geek" is a title.
_SPLIT_RE = re.compile(r"(\s*(?:;|\s&\s|\b(?:and|und|et|y|e|en|och|og|i|ve|és|și|a|AND|And)\b)\s*)")
_EMAIL_RE = re.compile(r"\S+@\S+\.\S+")
_HANDLE_RE = re.compile(r"(?<!\w)@\w+")
# A word of a person's name: capitalised, in a caseless script, or a particle ("van", "de").
_NAME_WORD_RE = re.compile(
    r"^(?:[A-ZÀ-ÖØ-ÞĀ-ſ][\w'’.-]*|[^\W\d_A-Za-z]+|(?:van|von|de|der|den|da|di|du|del|la|le|bin|al)\b.*)$"
)
# Words of roles and affiliations: "Staff Writer", "AdWords Product Manager", "North Dakota State
# University". A part of a byline holding one is not a person's name. A person's role after a name goes
# ("Leonard Pitts Jr. Syndicated columnist"); an organization's word is part of its name ("The
# Associated Press", "Los Angeles Times").
_PERSON_ROLES = frozenset(
    {
        "writer", "reporter", "correspondent", "columnist", "editor", "editors", "producer", "producers",
        "manager", "engineer", "contributor", "contributing", "professor", "director", "founder",
        "president", "ceo", "cto", "analyst", "photographer", "senior", "chief", "redakteur",
        "redakteurin", "korrespondent", "korrespondentin", "journalist", "journaliste", "syndicated",
        "special", "intern",
    }
)  # fmt: skip
_ORGANIZATION_WORDS = frozenset(
    {
        "university", "college", "institute", "staff", "wires", "wire", "news", "press", "agency", "times",
        "journal", "magazine", "photos", "photo", "video", "rédaction", "redaktion", "bureau", "desk", "team",
    }
)  # fmt: skip
_ROLE_WORDS = _PERSON_ROLES | _ORGANIZATION_WORDS
# Role words written after a name in caseless scripts: Korean "reporter", "correspondent".
_CASELESS_ROLE_SUFFIXES = frozenset({"기자", "특파원", "記者", "特派員", "记者"})
# Author values that say there is none.
_NO_AUTHOR_RE = re.compile(
    r"^(?:no\s+(?:primary\s+)?author|unknown|anonymous|admin|administrator|null|none|undefined|n/?a|author|"
    r"by|redaktion|editor|webmaster|root)$",
    re.IGNORECASE,
)
# Characters that never occur in a name (markup, code, paths).
_NOT_NAME_CHARS = frozenset('=<>{}[]/\\|#*+"')


def _is_role(text: str) -> bool:
    return any(word.strip(".,").casefold() in _ROLE_WORDS for word in text.split())


def _looks_like_name(text: str) -> bool:
    """One to five words, each capitalised (or in a caseless script), or particles; no role words."""
    words = text.split()
    if not 1 <= len(words) <= MAX_NAME_WORDS - 1 or _is_role(text):
        return False
    if len(words) == 1:
        # A single word is a name in caseless scripts only ("山田太郎"); in Latin script it is a brand.
        return not words[0].isascii() and not any(char.isupper() for char in words[0]) and words[0].isalpha()
    return all(_NAME_WORD_RE.match(word) for word in words)


def _usable(name: str) -> bool:
    return (
        0 < len(name) <= MAX_NAME_CHARS
        and len(name.split()) <= MAX_NAME_WORDS
        and any(char.isalpha() for char in name)
        and not name.lower().startswith(("http", "www."))
        and not _NOT_NAME_CHARS.intersection(name)
        and not _NO_AUTHOR_RE.match(name)
    )


def _strip(name: str) -> str:
    name = name.strip(" \t\r\n,;:-–—|/\\\"'“”‘’«»()[]*")
    # A final dot ends a sentence, except after an initial or an abbreviation ("J.", "Jr.").
    words = name.split()
    if words and words[-1].endswith(".") and len(words[-1].strip(".")) > 3:
        name = name.rstrip(".")
    return name


def _strip_trailing_role(name: str) -> str:
    """A role written after a name without a comma goes: "Leonard Pitts Jr. Syndicated columnist".

    The words before the first role word must read as a person's name; when there are four or more,
    the last ones are taken for the role's ("Marlaina Schiavo Nancy Grace Producers").
    """
    words = name.split()
    if len(words) == 2 and words[1] in _CASELESS_ROLE_SUFFIXES:
        return words[0]
    roles = [_role_kind(word) for word in words]
    for index in range(2, len(words)):
        # An organization's word is part of its name ("The Associated Press"), unless a person's role
        # follows it ("Staff writers", "Photo editor").
        if roles[index] == "organization" and "person" not in roles[index + 1 :]:
            # A short organization's name is the name ("The New York Times"); after four words or
            # more, the first two are a person's ("David Ferrara Las Vegas Review-Journal").
            before = " ".join(words[:2])
            return before if index >= 4 and _looks_like_name(before) else name
        if roles[index]:
            before = " ".join(words[: 2 if index >= 4 else index])
            return before if _looks_like_name(before) else name
    return name


def _role_kind(word: str) -> str | None:
    """ "person" for a word of a person's role, "organization" for an organization's, else None."""
    pieces = word.strip(".,").casefold().split("-")
    if any(piece in _PERSON_ROLES or piece.removesuffix("s") in _PERSON_ROLES for piece in pieces):
        return "person"
    return "organization" if any(piece in _ORGANIZATION_WORDS for piece in pieces) else None


def author_names(value: str | None, *, byline: bool = False) -> list[str]:
    """The author names in a metadata value or a byline (see the module's docstring); [] for none.

    ``byline``: the value is a byline line, whose short opening words ("Di", "Da", "Av", "Af") are
    stripped too.
    """
    text = tidy(value)
    if not text:
        return []
    text = text[: MAX_NAME_CHARS * MAX_AUTHORS]
    if text.lower().startswith(("http://", "https://", "www.")):
        return []
    text = _EMAIL_RE.sub(" ", _HANDLE_RE.sub(" ", text))
    prefix = _BYLINE_PREFIX_RE if byline else _PREFIX_RE
    text, opened = prefix.subn("", text, count=1)
    if not opened:
        text = _LEADING_BY_RE.sub("", text, count=1)
    dates = find_dates(text)
    if dates:
        text = text[: dates[0][0]]
    cut = _CUT_RE.search(text)
    if cut and cut.start() > 0:
        text = text[: cut.start()]
    names: list[str] = []
    for chunk in _split_names(text):
        parts = [_strip(part) for part in chunk.split(",")]
        parts = [part for part in parts if part]
        if not parts:
            continue
        if len(parts) > 1:
            # "John Smith, Jane Doe" are two people; "John Smith, Staff Writer" is one with a role.
            # "Reuters, Thorsten Kramer": an agency, then a person.
            people = [part for part in parts if _looks_like_name(part)]
            if _looks_like_name(parts[0]):
                parts = people
            elif people and not _is_role(parts[0]):
                parts = [parts[0], *people]
            else:
                parts = parts[:1]
        for part in parts:
            part = _strip(_strip_trailing_role(_strip(prefix.sub("", part, count=1))))
            if _usable(part) and part not in names:
                names.append(part)
    if len(names) > 1:
        # "Victoria Craw and wires": beside real names, a lower-case word or a role is not an author.
        kept = [name for name in names if not name.islower() and not _is_role(name)]
        names = kept or names[:1]
    return names[:MAX_AUTHORS]


def _split_names(text: str) -> list[str]:
    """``text`` cut at the conjunctions and semicolons between names (see :data:`_SPLIT_RE`)."""
    pieces = _SPLIT_RE.split(text)  # chunk, separator, chunk, ...
    chunks = [pieces[0]]
    for separator, chunk in zip(pieces[1::2], pieces[2::2]):
        if len(separator.strip()) == 1 and separator.strip().isalpha():
            if len(chunks[-1].split()) < 2 or len(chunk.split()) < 2:
                chunks[-1] += separator + chunk  # as written: "Just a Geek", "Safi'i"
                continue
        chunks.append(chunk)
    return chunks


def byline_author(line: str | None) -> list[str]:
    """The author names of a byline ("By John Smith", "Par Jean Dupont, le 12 mars"); [] if not a byline."""
    match = _BYLINE_RE.match(line or "")
    if not match:
        return []
    names = author_names(line, byline=True)
    # "Da quando...", "By the way...": sentences. A name starts with a capital, except a one-word handle
    # after "by" ("by randfish").
    handles = match.group(0).strip().lower().rstrip(":") == "by"
    return [name for name in names if not name[0].islower() or (handles and " " not in name)]


def join_authors(names: list[str] | tuple[str, ...]) -> str | None:
    """Names joined with :data:`AUTHOR_SEPARATOR` (duplicates dropped, case-insensitively), or None."""
    kept: list[str] = []
    seen: set[str] = set()
    for name in names:
        key = name.casefold()
        if key not in seen:
            seen.add(key)
            kept.append(name)
    return AUTHOR_SEPARATOR.join(kept[:MAX_AUTHORS]) or None

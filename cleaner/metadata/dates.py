"""Publication dates: read a date value or find one in free text, as ISO 8601 ``YYYY-MM-DD``.

Two entry points:

* :func:`parse_date_value` reads the value of a date field (JSON-LD ``datePublished``, a ``<meta>``
  content, a ``<time datetime>``): ISO 8601 and its compact form, RFC 2822, then anything
  :func:`find_date_in_text` reads.
* :func:`find_date_in_text` finds a date in a line of text (a byline, a dateline): ISO and numeric
  forms ("12.03.2021", "12/03/2021", "2021/03/12"), month names in many languages ("12 March 2021",
  "March 12th, 2021", "12 de marzo de 2021", "2021. március 12."), and CJK / Korean forms
  ("2021年3月12日", "2021년 3월 12일"). When a line holds several dates, one that follows an "updated" word
  ("Updated", "aktualisiert", "mis à jour", ...) is passed over for one that does not.

A date is kept only if it is plausible: a real calendar day, not before :data:`MIN_YEAR`, and not more
than a day after ``today`` (the publication date of a page cannot be in the future; a day of slack
covers time zones). Times and time zones are dropped: the day is the one written, not converted to UTC.

Numeric dates with "/" whose day and month could be swapped ("03/04/2021") are read day first, except
for languages that write the month first (US English, and English without a region): see
:func:`month_first`. With "." or "-" separators they are always day first ("12.03.2021").
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from functools import cache

from cleaner.metadata.months import MONTH_NAMES, month_number, month_table

__all__ = [
    "MIN_YEAR",
    "UPDATED_RE",
    "find_date_in_text",
    "find_dates",
    "month_first",
    "parse_date_value",
    "plausible_date",
]

# Web publishing before this year is too rare to trust a date that says so (it is usually a default
# or a birth date); year 0 and 1970 (the Unix epoch) are typical junk values.
MIN_YEAR = 1990
# How far past today a date may be: time zones put some pages' dates on tomorrow.
FUTURE_SLACK = dt.timedelta(days=1)
# Free text is searched only this far: a date line is short, and regexes over megabytes are slow.
MAX_TEXT_CHARS = 20_000
# How far before a date an "updated" word counts as describing it.
UPDATED_WINDOW_CHARS = 30
# Language tags (lower-case, "-" separated) whose numeric dates put the month first.
_MONTH_FIRST_TAGS = frozenset({"en", "en-us", "en-ph", "en-um", "en-as", "en-gu", "en-mp", "en-pr", "en-vi"})

# Words that mark the date after them as a modification date, not the publication date.
UPDATED_RE = re.compile(
    r"(?:updated?|modified|last\s+change|aktualisiert|geändert|mis\s+à\s+jour|modifié|actualizad[oa]|"
    r"aggiornat[oa]|atualizad[oa]|bijgewerkt|gewijzigd|zaktualizowano|aktualizacja|uppdaterad|"
    r"opdateret|oppdatert|päivitetty|aktualizováno|aktualizované|güncellen\w*|frissítve|frissítés|"
    r"actualizat|更新|수정|업데이트)",
    re.IGNORECASE,
)

_DAY = r"(?P<day>[0-3]?\d)"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
# The first digits of every year _YEAR reads.
_CENTURIES = ("19", "20")
# Ordinal suffixes after a day number: 12th, 1st, 1er, 1º, 12.
_ORDINAL = r"(?:st|nd|rd|th|er|re|e|º|ª|\.)?"
# Words allowed between a day and its month, and a month and its year: "12 de marzo de 2021",
# "12 di marzo", "3 van maart".
_FILLER = r"(?:\s*(?:de|del|di|van|of)\s+|\s*,\s*|\s+|\s*\.\s*|\s*-\s*)"

_NUMERIC_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # 2021-03-12, 2021/03/12, 2021.03.12 (Korean, Hungarian), 2021-03-12T10:00
    ("ymd", re.compile(r"(?<![\d.])" + _YEAR + r"(?P<sep>[-/.])\s?(?P<month>[01]?\d)(?P=sep)\s?" + _DAY + r"(?!\d)")),
    # 12.03.2021, 12-03-2021, 12/03/2021, 3/12/2021
    # (the "month" may be the day: 3/25/2021 is read by its only valid order)
    ("dmy", re.compile(r"(?<![\d.])" + _DAY + r"(?P<sep>[-/.])\s?(?P<month>[0-3]?\d)(?P=sep)\s?" + _YEAR + r"(?!\d)")),
    # 2021年3月12日 (Chinese, Japanese), 2021년 3월 12일 (Korean)
    ("cjk", re.compile(_YEAR + r"\s*[年년]\s*(?P<month>[01]?\d)\s*[月월]\s*" + _DAY + r"\s*[日일]?")),
)


@cache
def _word_patterns(language: str | None) -> tuple[re.Pattern[str], ...]:
    """Regexes for dates with a month name: day-month-year, month-day-year, year-month-day."""
    names = sorted(month_table(language), key=len, reverse=True)
    month = r"(?P<month>" + "|".join(re.escape(name) for name in names) + r")\.?"
    # A month name is a whole word: no letter may touch it ("mayor" is not "may").
    month = r"(?<!\w)" + month + r"(?!\w)"
    weekday_skip = r"(?:\s*,)?"
    return (
        re.compile(
            r"(?<!\d)" + _DAY + _ORDINAL + _FILLER + month + weekday_skip + _FILLER + _YEAR + r"(?!\d)", re.IGNORECASE
        ),
        re.compile(month + r"\s*" + _DAY + _ORDINAL + r"(?!\d)\s*,?\s*(?:of\s+)?" + _YEAR + r"(?!\d)", re.IGNORECASE),
        re.compile(r"(?<!\d)" + _YEAR + r"\.?\s*" + month + r"\s*" + _DAY + r"\.?(?!\d)", re.IGNORECASE),
    )


def month_first(language: str | None) -> bool:
    """Whether numeric dates of ``language`` (a BCP 47 tag) put the month first: "3/12/2021" is March 12.

    True for US English and for English without a region (most such pages are American); False for
    every other language, British English included, and for an unknown language.
    """
    if not language:
        return False
    return language.strip().lower().replace("_", "-") in _MONTH_FIRST_TAGS


def plausible_date(year: int, month: int, day: int, today: dt.date | None = None) -> dt.date | None:
    """The date, if it is a real calendar day from :data:`MIN_YEAR` to a day after ``today``."""
    try:
        value = dt.date(year, month, day)
    except ValueError:
        return None
    latest = (today or dt.date.today()) + FUTURE_SLACK
    if value.year < MIN_YEAR or value > latest:
        return None
    return value


def _numeric_date(kind: str, match: re.Match[str], language: str | None, today: dt.date | None) -> dt.date | None:
    year, month, day = int(match["year"]), int(match["month"]), int(match["day"])
    if kind != "dmy":
        return plausible_date(year, month, day, today)
    # The "dmy" pattern names its first number "day"; "/" dates of month-first languages are
    # month then day.
    if match["sep"] == "/" and month_first(language) and day <= 12:
        day, month = month, day
    if month > 12 >= day:
        # Only one reading is a date: 25/03/2021 or 03/25/2021, whatever the language.
        day, month = month, day
    return plausible_date(year, month, day, today)


def find_dates(text: str, language: str | None = None, today: dt.date | None = None) -> list[tuple[int, dt.date]]:
    """Every plausible date in ``text``, as (position, date), in order of position.

    Overlapping matches keep the first found by the order of the patterns (numeric forms first).
    """
    text = text[:MAX_TEXT_CHARS]
    if not any(century in text for century in _CENTURIES):
        return []  # every pattern reads a year of _YEAR: most lines hold none, and are passed over unread
    primary = _primary(language)
    # Languages without a month table read with the common one (and share its cached regexes).
    primary = primary if primary in MONTH_NAMES else None
    found: list[tuple[int, int, dt.date]] = []
    for kind, pattern in _NUMERIC_PATTERNS:
        for match in pattern.finditer(text):
            value = _numeric_date(kind, match, language, today)
            if value:
                found.append((match.start(), match.end(), value))
    for pattern in _word_patterns(primary):
        for match in pattern.finditer(text):
            month = month_number(match["month"], primary)
            if month is None:
                continue
            value = plausible_date(int(match["year"]), month, int(match["day"]), today)
            if value:
                found.append((match.start(), match.end(), value))
    found.sort(key=lambda item: (item[0], -item[1]))
    kept: list[tuple[int, dt.date]] = []
    last_end = -1
    for start, end, value in found:
        if start >= last_end:
            kept.append((start, value))
            last_end = end
    return kept


def find_date_in_text(text: str, language: str | None = None, today: dt.date | None = None) -> str | None:
    """The publication date written in ``text`` (a byline, a dateline), as ``YYYY-MM-DD``, or None.

    The first plausible date, unless it follows an "updated" word and another date does not
    ("Updated 14 March 2021, first published 12 March 2021" gives 2021-03-12). ``language`` (a BCP 47
    tag) settles the order of "3/12/2021" and which language's month names win; ``today`` (default:
    the current date) bounds dates from the future.
    """
    try:
        dates = find_dates(text, language, today)
    except (TypeError, ValueError):
        return None
    if not dates:
        return None
    for position, value in dates:
        if not UPDATED_RE.search(text[max(0, position - UPDATED_WINDOW_CHARS) : position]):
            return value.isoformat()
    return dates[0][1].isoformat()


# ISO 8601 at the start of a value: 2021-03-12, 2021-03-12T10:00:00Z, 20210312, 20210312T1000.
_ISO_RE = re.compile(r"^\s*(?P<year>\d{4})-?(?P<month>\d\d)-?(?P<day>\d\d)(?:$|[T\s_]|[+-]\d\d:?\d\d$|Z)")


def parse_date_value(value: object, language: str | None = None, today: dt.date | None = None) -> str | None:
    """The date that a metadata field holds (``datePublished``, ``<meta content>``...), or None.

    ISO 8601 first, then RFC 2822 ("Fri, 12 Mar 2021 10:00:00 +0000"), then any form
    :func:`find_date_in_text` reads. Anything else (numbers, objects, junk) gives None.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()[:MAX_TEXT_CHARS]
    match = _ISO_RE.match(value)
    if match:
        parsed = plausible_date(int(match["year"]), int(match["month"]), int(match["day"]), today)
        # An ISO value is read as written, or not at all: "0000-00-00" is junk, not a text to search.
        return parsed.isoformat() if parsed else None
    try:
        rfc = email.utils.parsedate_tz(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        rfc = None
    if rfc and rfc[0] and rfc[1] and rfc[2]:
        parsed = plausible_date(rfc[0], rfc[1], rfc[2], today)
        if parsed:
            return parsed.isoformat()
    return find_date_in_text(value, language, today)


def _primary(language: str | None) -> str | None:
    """The primary subtag of a language tag, lower-case ("de-AT" -> "de"), for the month-name tables."""
    if not language:
        return None
    return re.split(r"[-_]", language.strip().lower(), maxsplit=1)[0] or None

"""Boilerplate a site repeats: the menu, footer and promotion lines that come back on page after page
of one host, found by counting lines over many pages and dropped from the cleaned text.

Two passes over a collection of pages (a crawl, a folder, JSON Lines)::

    counts = SiteCounts()                                   # pass 1: count lines per host
    for host, page in pages:
        counts.add_page(host, cleaner.read_page(page).texts)
    boilerplate = counts.boilerplate()                      # the lines each host repeats
    for host, page in pages:                                # pass 2: clean, minus those lines
        text = boilerplate.classify(cleaner, host, page).text()

(:func:`clean_site_pages` does both for a list of pages.) What counts as the same line, and when a
line is a host's boilerplate:

* **Fingerprints.** A line is case-folded, its white space collapsed and its digits masked (so "Page 3
  of 12" and "© 2024" match their other-page variants), then hashed to 64 bits (BLAKE2b: the same in
  every process and run). A page counts each of its lines once, however often it repeats it.
* **Bounded counts.** :class:`SiteCounts` holds at most ``max_lines`` fingerprints in all (default
  :data:`MAX_LINES`, about 75 bytes each), ``max_lines_per_host`` per host (:data:`MAX_LINES_PER_HOST`)
  and ``max_hosts`` hosts (:data:`MAX_HOSTS`). When a host's table is full, the half with the lowest
  counts is evicted (at equal counts, the lines seen longest ago); when the table is full in all, the
  entries with the lowest counts are evicted from every host until at most half remain; when there are
  too many hosts, the half with the fewest pages goes (at equal pages, those seen longest ago). An
  evicted line starts again from 0 if it comes back, so a count is a lower bound of the pages the line
  is on: eviction can miss boilerplate, never invent it. Article lines are on one page each, so they
  fill the table and are the ones evicted; a line on every other page is seen again long before its
  turn comes (a host's table holds the lines of about ``max_lines_per_host / 2 / lines per page`` pages).
* **The rule** (:class:`SiteRules`). A line is a host's boilerplate when it is on at least
  :data:`BOILERPLATE_SHARE` of the host's pages and on at least :data:`MIN_PAGES` of them. Pass 2 drops
  such a line from the kept text, unless the model is confident it is article text (keep-probability of
  at least :data:`CONFIDENT`). Two exceptions: the page's own heading is never dropped (its title shown
  in the teaser lists of the other pages is the same line), and a repeated line labelled ``heading`` is
  dropped whatever its probability (a section title, or another page's title in a teaser list). The
  page's own heading is its first kept line, at least :data:`MIN_HEADING_CHARS` letters and digits long,
  found in the page's ``<title>`` (a ``heading`` first, then any), else its first kept ``heading``.

The result of pass 2 is what ``Cleaner.clean`` gives, minus the lines dropped: the kept lines
re-rendered by :func:`cleaner.render.render_results` (one blank line where anything stood between them).
"""

from __future__ import annotations

import hashlib
import html
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from cleaner.api import Cleaner
from cleaner.errors import OptionsError
from cleaner.options import Options
from cleaner.results import LineResult, Page

# A line on at least this share of a host's pages, and on at least this many, is boilerplate...
BOILERPLATE_SHARE = 0.5
MIN_PAGES = 3
# ... dropped unless the model's keep-probability is at least this (headings excepted, see above).
CONFIDENT = 0.9
# The bounds of the counts: fingerprints in all (about 75 bytes each, twice that while evicting: at most
# ~40 MB, ~80 MB at a peak), per host, and hosts (a few hundred bytes each).
MAX_LINES = 500_000
MAX_LINES_PER_HOST = 20_000
MAX_HOSTS = 100_000
# A kept line is the page's own heading when it is found in the page's <title> and has this many
# letters and digits (a shorter one, "News", would match the site name of most titles).
MIN_HEADING_CHARS = 8
_TITLE_SCAN_CHARS = 1 << 18  # how much of an HTML page is searched for its <title>
_TITLE_TEXT = re.compile(r"<title\b[^>]*>(.*?)</title", re.IGNORECASE | re.DOTALL)
_TITLE_BYTES = re.compile(rb"<title\b[^>]*>(.*?)</title", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_DIGIT = re.compile(r"\d")
_DIGEST_BYTES = 8  # 64-bit fingerprints
# Shares are compared with a margin: 0.3 * 10 pages is 3.0000000000000004 in floating point.
_EPSILON = 1e-9


# -- lines and hosts ------------------------------------------------------------------------------


def normalise_line(text: str) -> str:
    """The form lines are compared in: case-folded, white space collapsed, digits masked as ``0``."""
    return _DIGIT.sub("0", " ".join(text.casefold().split()))


def line_key(text: str) -> int | None:
    """The 64-bit fingerprint of a line's :func:`normalise_line` form; None for a blank line."""
    normal = normalise_line(text)
    if not normal:
        return None
    digest = hashlib.blake2b(normal.encode("utf-8", "surrogatepass"), digest_size=_DIGEST_BYTES).digest()
    return int.from_bytes(digest, "little")


def page_keys(texts: Iterable[str]) -> set[int]:
    """The fingerprints of a page's lines, each once (blank lines have none)."""
    return {key for key in map(line_key, texts) if key is not None}


def site_host(url: str | None) -> str | None:
    """The host of ``url``, lower-cased, without a leading ``www.`` (the same site's pages name it with
    and without); None when there is no host."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.rstrip(".")
    return host[4:] if host.startswith("www.") and len(host) > 4 else host


def page_title(page: str | bytes) -> str | None:
    """The text of an HTML page's ``<title>`` (entities decoded, white space collapsed), or None."""
    head = page[:_TITLE_SCAN_CHARS]
    if isinstance(head, bytes):
        found = _TITLE_BYTES.search(head)
        text = found.group(1).decode("utf-8", "replace") if found else None
    else:
        found = _TITLE_TEXT.search(head)
        text = found.group(1) if found else None
    if text is None:
        return None
    title = " ".join(html.unescape(_TAG.sub(" ", text)).split())
    return title or None


def _compare_form(text: str) -> str:
    """Letters and digits only, case-folded, accents dropped: for finding a heading in a title."""
    return "".join(char for char in unicodedata.normalize("NFKD", text.casefold()) if char.isalnum())


# -- the rule -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SiteRules:
    """When a line is a host's boilerplate, and when pass 2 keeps it all the same."""

    share: float = BOILERPLATE_SHARE
    """The least share of a host's pages a line must be on."""
    min_pages: int = MIN_PAGES
    """The fewest pages a line must be on (a host with fewer pages has no boilerplate)."""
    confident: float = CONFIDENT
    """A repeated line the model keeps with at least this probability stays (headings excepted)."""

    def checked(self) -> SiteRules:
        """Return self, or raise :class:`~cleaner.OptionsError` naming the bad setting."""
        if not 0.0 < self.share <= 1.0:
            raise OptionsError(f"site boilerplate share must be in (0, 1], not {self.share}")
        if self.min_pages < 2:
            raise OptionsError(f"site boilerplate needs a line on at least 2 pages, not {self.min_pages}")
        if not 0.0 <= self.confident <= 1.0:
            raise OptionsError(f"site boilerplate confidence must be between 0 and 1, not {self.confident}")
        return self

    def needed(self, pages: int) -> int:
        """How many of a host's ``pages`` a line must be on to be its boilerplate."""
        return max(self.min_pages, math.ceil(self.share * pages - _EPSILON))


# -- pass 1: counting -----------------------------------------------------------------------------


class _HostCounts:
    __slots__ = ("lines", "pages")

    def __init__(self) -> None:
        self.pages = 0
        self.lines: dict[int, int] = {}
        """Fingerprint -> pages it was counted on; in the order last seen (oldest first)."""


class SiteCounts:
    """Pass 1: how many pages of each host each line is on, in bounded memory (see the module's notes).

    Deterministic: the same pages added in the same order (or the same tables merged in the same
    order) give the same counts.
    """

    def __init__(
        self, max_lines: int = MAX_LINES, max_lines_per_host: int = MAX_LINES_PER_HOST, max_hosts: int = MAX_HOSTS
    ) -> None:
        if min(max_lines, max_lines_per_host, max_hosts) < 2:
            raise OptionsError(
                f"the bounds of the counts must be at least 2: {max_lines}, {max_lines_per_host}, {max_hosts}"
            )
        self.max_lines = max_lines
        self.max_lines_per_host = min(max_lines_per_host, max_lines)
        self.max_hosts = max_hosts
        self._hosts: dict[str, _HostCounts] = {}  # in the order last seen (oldest first)
        self._lines = 0

    def __len__(self) -> int:
        """The fingerprints held, in all hosts."""
        return self._lines

    @property
    def hosts(self) -> int:
        return len(self._hosts)

    def pages(self, host: str) -> int:
        entry = self._hosts.get(host)
        return entry.pages if entry is not None else 0

    def count(self, host: str, text: str) -> int:
        """The pages of ``host`` that ``text`` was counted on (a lower bound, see the module's notes)."""
        entry = self._hosts.get(host)
        key = line_key(text)
        return entry.lines.get(key, 0) if entry is not None and key is not None else 0

    def add_page(self, host: str, texts: Iterable[str]) -> None:
        """Count one page of ``host``: each of its lines once."""
        self._add(host, 1, ((key, 1) for key in sorted(page_keys(texts))))

    def merge(self, other: SiteCounts) -> SiteCounts:
        """Add the counts of ``other`` (made over other pages) to these, in place; returns self."""
        for host, entry in other._hosts.items():
            self._add(host, entry.pages, entry.lines.items())
        return self

    def items(self) -> Iterable[tuple[str, int, Mapping[int, int]]]:
        """``(host, pages, {fingerprint: pages})`` for every host (read-only views)."""
        return ((host, entry.pages, entry.lines) for host, entry in self._hosts.items())

    def boilerplate(self, rules: SiteRules = SiteRules()) -> SiteBoilerplate:
        """The lines each host repeats, by ``rules``: what pass 2 drops."""
        rules.checked()
        found: dict[str, frozenset[int]] = {}
        for host, pages, lines in self.items():
            if pages < rules.min_pages:
                continue
            needed = rules.needed(pages)
            keys = frozenset(key for key, count in lines.items() if count >= needed)
            if keys:
                found[host] = keys
        return SiteBoilerplate(found, rules)

    # -- bounded tables -----------------------------------------------------------------------

    def _add(self, host: str, pages: int, counts: Iterable[tuple[int, int]]) -> None:
        entry = self._hosts.pop(host, None)
        if entry is None:
            entry = _HostCounts()
        self._hosts[host] = entry  # last seen now
        entry.pages += pages
        lines = entry.lines
        for key, count in counts:
            before = lines.pop(key, 0)  # popped and put back: the dict's order is the order last seen
            lines[key] = before + count
            if not before:
                self._lines += 1
                if len(lines) > self.max_lines_per_host:
                    self._prune_host(entry)
                    lines = entry.lines  # a new table
        if self._lines > self.max_lines:
            self._prune_lines()
        if len(self._hosts) > self.max_hosts:
            self._prune_hosts()

    def _prune_host(self, entry: _HostCounts) -> None:
        """Keep the half of a host's lines with the highest counts (at equal counts, the last seen)."""
        recent_first = list(reversed(entry.lines.items()))
        recent_first.sort(key=lambda item: -item[1])  # stable: equal counts stay most recent first
        kept = {key for key, _ in recent_first[: self.max_lines_per_host // 2]}
        before = len(entry.lines)
        entry.lines = {key: count for key, count in entry.lines.items() if key in kept}
        self._lines -= before - len(entry.lines)

    def _prune_lines(self) -> None:
        """Evict the lowest counts from every host until at most half of ``max_lines`` remain."""
        histogram = Counter(count for entry in self._hosts.values() for count in entry.lines.values())
        remaining, floor = self._lines, 0
        for count in sorted(histogram):
            if remaining <= self.max_lines // 2:
                break
            remaining -= histogram[count]
            floor = count
        for entry in self._hosts.values():
            entry.lines = {key: count for key, count in entry.lines.items() if count > floor}
        self._lines = remaining

    def _prune_hosts(self) -> None:
        """Keep the half of the hosts with the most pages (at equal pages, the last seen)."""
        recent_first = list(reversed(self._hosts.items()))
        recent_first.sort(key=lambda item: -item[1].pages)
        kept = {host for host, _ in recent_first[: self.max_hosts // 2]}
        self._hosts = {host: entry for host, entry in self._hosts.items() if host in kept}
        self._lines = sum(len(entry.lines) for entry in self._hosts.values())


# -- pass 2: dropping -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SiteBoilerplate:
    """Pass 2: the lines each host repeats (fingerprints), and the rule that drops them from a page."""

    hosts: dict[str, frozenset[int]] = field(default_factory=dict)
    rules: SiteRules = SiteRules()

    def __len__(self) -> int:
        """Boilerplate lines, in all hosts."""
        return sum(map(len, self.hosts.values()))

    def is_boilerplate(self, host: str, text: str) -> bool:
        """Whether ``text`` is one of the lines ``host`` repeats."""
        keys = self.hosts.get(host)
        return bool(keys) and line_key(text) in keys  # type: ignore[operator]

    def filter(self, host: str, results: Sequence[LineResult], title: str | None = None) -> list[LineResult]:
        """The results of a page of ``host`` with its site boilerplate no longer kept (see the module's
        notes for the rule; ``title`` is the page's ``<title>``, to know its own heading)."""
        keys = self.hosts.get(host)
        if not keys:
            return list(results)
        own = own_heading(results, title)
        confident = self.rules.confident
        out = list(results)
        for index, result in enumerate(results):
            if not result.kept or index == own or line_key(result.text) not in keys:
                continue
            if result.label == "heading" or result.keep_probability < confident:
                out[index] = replace(result, kept=False)
        return out

    def classify(
        self,
        cleaner: Cleaner,
        host: str,
        page: str | bytes,
        options: Options = Options(),
        *,
        probabilities: bool = False,
    ) -> Page:
        """Classify a page of ``host`` (as ``cleaner.process``) and drop its site boilerplate:
        ``.text()`` is what ``cleaner.clean`` gives, minus the lines the host repeats."""
        return self.classify_counted(cleaner, host, page, options, probabilities=probabilities)[0]

    def classify_counted(
        self,
        cleaner: Cleaner,
        host: str,
        page: str | bytes,
        options: Options = Options(),
        *,
        probabilities: bool = False,
    ) -> tuple[Page, int]:
        """:meth:`classify`, and how many kept lines it dropped as site boilerplate."""
        return self.filter_counted(host, cleaner.process(page, options, probabilities=probabilities), page)

    def filter_counted(self, host: str, classified: Page, page: str | bytes) -> tuple[Page, int]:
        """A page of ``host`` already classified (``classified``, from ``page``) less its site
        boilerplate, and how many kept lines that dropped."""
        title = page_title(page) if classified.input_format == "html" else None
        results = self.filter(host, classified.results, title)
        dropped = sum(1 for old, new in zip(classified.results, results) if old.kept and not new.kept)
        return replace(classified, results=results), dropped


def own_heading(results: Sequence[LineResult], title: str | None) -> int | None:
    """The index of the page's own heading among ``results``, or None (see the module's notes)."""
    kept = [index for index, result in enumerate(results) if result.kept]
    if title:
        wanted = _compare_form(title)
        found = [
            index
            for index in kept
            if len(text := _compare_form(results[index].text)) >= MIN_HEADING_CHARS and text in wanted
        ]
        heading = next((index for index in found if results[index].label == "heading"), None)
        if heading is not None or found:
            return heading if heading is not None else found[0]
    return next((index for index in kept if results[index].label == "heading"), None)


def clean_site_pages(
    pages: Sequence[tuple[str, str | bytes]],
    cleaner: Cleaner | None = None,
    options: Options = Options(),
    rules: SiteRules = SiteRules(),
    counts: SiteCounts | None = None,
) -> list[str]:
    """The cleaned text of each ``(host, page)``, minus the lines its host repeats: both passes over
    ``pages`` (read twice). ``counts`` sets the bounds of pass 1 (an empty :class:`SiteCounts`)."""
    cleaner = cleaner if cleaner is not None else Cleaner.load()
    counts = counts if counts is not None else SiteCounts()
    for host, page in pages:
        counts.add_page(host, cleaner.read_page(page, options).texts)
    boilerplate = counts.boilerplate(rules)
    return [boilerplate.classify(cleaner, host, page, options).text() for host, page in pages]

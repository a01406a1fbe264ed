"""Other extractors and simple baselines, run on the same pages for the benchmark.

Each is a :class:`System`: a name, what it reads (the page's HTML, or its plain-text rendering), a
module-level function (so worker processes can receive it) and the packages whose versions decide its
output, which name its cache file (see :mod:`cleaner.corpus.systems`). The HTML extractors are optional
dependencies (``pip install -e .[bench]``); a missing one is reported and
skipped, never faked. Every extractor runs with its default settings and never fetches anything: the
benchmark runs them inside :func:`offline_and_quiet`.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import logging
import re
import socket
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from cleaner.errors import CleanerError

Extractor = Callable[[str], str]
# What a system reads: the page's HTML, or the plain-text rendering of it (html-text).
InputKind = Literal["html", "text"]

# The C4 rule (Raffel et al. 2020): keep lines of at least this many words ending in terminal punctuation.
C4_MIN_WORDS = 5
_C4_TERMINAL = re.compile(r"[.!?…\"'”’»]\s*$")
# jusText needs a stop-word list; the page's language is guessed among these by stop-word hits.
JUSTEXT_LANGUAGES = ("English", "Hungarian", "French", "German", "Spanish", "Italian", "Portuguese", "Dutch")
# Words of a page that the stop-list guess looks at (the start of the page says enough, and stays fast).
_GUESS_WORDS = 3000


class MissingCompetitor(CleanerError):
    """A competitor's package is not installed (install the ``bench`` extra)."""


class NetworkForbidden(OSError):
    """An extractor tried to open a network connection during the benchmark."""


def _refuse_network(*args: Any, **kwargs: Any) -> Any:
    raise NetworkForbidden("the benchmark never uses the network")


# Loggers of the extractors, which warn about every odd page ("nested A elements") on stderr.
_NOISY_LOGGERS = ("boilerpy3", "trafilatura", "readability", "readability.readability", "justext", "htmldate")


@contextmanager
def offline_and_quiet() -> Iterator[None]:
    """Within the block, outgoing connections fail and the extractors' per-page warnings are silenced.

    trafilatura, readability and boilerpy3 are given the page's text, so they have no reason to fetch
    anything; this makes sure of it, and makes the outputs independent of what some server answers. Only
    ``connect`` is refused: socket pairs (which process pools use) keep working. Everything is restored on
    exit, so running systems in the caller's own process (``jobs=1``) leaves it as it was.
    """
    saved_sockets = (socket.socket.connect, socket.socket.connect_ex, socket.create_connection)
    loggers = [logging.getLogger(name) for name in _NOISY_LOGGERS]
    saved_levels = [logger.level for logger in loggers]
    socket.socket.connect = _refuse_network  # type: ignore[method-assign]
    socket.socket.connect_ex = _refuse_network  # type: ignore[method-assign]
    socket.create_connection = _refuse_network  # type: ignore[assignment]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        socket.socket.connect, socket.socket.connect_ex, socket.create_connection = saved_sockets  # type: ignore[method-assign]
        for logger, level in zip(loggers, saved_levels):
            logger.setLevel(level)


def _require(module: str):
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingCompetitor(f"{module} is not installed: pip install -e '.[bench]'") from None


# ---------------------------------------------------------------------------------------------------------
# Text baselines (on the plain-text rendering of the page)


def keep_everything(text: str) -> str:
    """The rendering as it is: the recall ceiling, and the precision floor."""
    return text


def c4_rule(text: str) -> str:
    """Keep the lines of at least five words that end in terminal punctuation."""
    return "\n".join(
        line for line in text.split("\n") if len(line.split()) >= C4_MIN_WORDS and _C4_TERMINAL.search(line)
    )


@cache
def _stoplists() -> dict[str, frozenset[str]]:
    justext = _require("justext")
    return {language: frozenset(justext.get_stoplist(language)) for language in JUSTEXT_LANGUAGES}


def _guess_stoplist(text: str) -> frozenset[str]:
    """The stop-list with the most hits among the first words (ties: the first language listed)."""
    words = re.findall(r"\w+", text.lower())[:_GUESS_WORDS]
    best = max(_stoplists().items(), key=lambda item: sum(word in item[1] for word in words))
    return best[1]


def justext_lines(text: str) -> str:
    """jusText on plain text: each line becomes a paragraph (no markup, so no link density)."""
    from html import escape

    lines = [line for line in text.split("\n") if line.strip()]
    if not lines:
        return ""
    page = "<html><body>" + "".join(f"<p>{escape(line)}</p>" for line in lines) + "</body></html>"
    justext = _require("justext")
    paragraphs = justext.justext(page.encode("utf-8"), _guess_stoplist(text), encoding="utf-8")
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


# ---------------------------------------------------------------------------------------------------------
# HTML extractors


def justext_html(html: str) -> str:
    """jusText's paragraphs that are not boilerplate, with the stop-list of the page's guessed language."""
    justext = _require("justext")
    from lxml import etree
    from lxml import html as lxml_html

    try:
        sample = lxml_html.fromstring(html).text_content()
    except (etree.ParserError, ValueError):
        sample = html
    paragraphs = justext.justext(html.encode("utf-8", "replace"), _guess_stoplist(sample), encoding="utf-8")
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def trafilatura_html(html: str) -> str:
    """``trafilatura.extract(html)`` with its default settings."""
    trafilatura = _require("trafilatura")
    return trafilatura.extract(html) or ""


def boilerpy3_html(html: str) -> str:
    """boilerpy3's ArticleExtractor."""
    extractors = _require("boilerpy3.extractors")
    return extractors.ArticleExtractor(raise_on_failure=False).get_content(html) or ""


def readability_html(html: str) -> str:
    """readability-lxml's summary, as text: one line per block element of the summary."""
    readability = _require("readability")
    from lxml import html as lxml_html

    summary = readability.Document(html).summary(html_partial=True)
    tree = lxml_html.fromstring(summary)
    blocks = tree.xpath("//p|//h1|//h2|//h3|//h4|//h5|//h6|//li|//pre|//blockquote|//td")
    text = "\n".join(" ".join(block.text_content().split()) for block in blocks)
    return text or " ".join(tree.text_content().split())


def resiliparse_html(html: str) -> str:
    """resiliparse's main-content extraction: ``extract_plain_text(HTMLTree.parse(html), main_content=True)``."""
    html2text = _require("resiliparse.extract.html2text")
    parse = _require("resiliparse.parse.html")
    return html2text.extract_plain_text(parse.HTMLTree.parse(html), main_content=True) or ""


# ---------------------------------------------------------------------------------------------------------
# The systems


@dataclass(frozen=True, slots=True)
class System:
    """An extractor or baseline as the benchmark runs it."""

    name: str
    input: InputKind
    extract: Extractor
    """A module-level function (worker processes receive it by reference)."""
    packages: tuple[str, ...] = ()
    """Distributions whose versions decide the output (their versions name the cache file)."""
    revision: int = 1
    """Version of the wrapper in this module: bump it when a change alters the output, to recompute."""
    cached: bool = True
    """Whether outputs are worth caching (not for a rule that takes microseconds a page)."""

    def version(self) -> str:
        """``"trafilatura-2.3.1_lxml-6.1.3_r1"``; raises :class:`MissingCompetitor` if a package is missing."""
        parts = []
        for package in self.packages:
            try:
                parts.append(f"{package}-{importlib.metadata.version(package)}")
            except importlib.metadata.PackageNotFoundError:
                raise MissingCompetitor(f"{package} is not installed (needed by {self.name})") from None
        return "_".join([*parts, f"r{self.revision}"])


HTML_SYSTEMS: tuple[System, ...] = (
    System("trafilatura", "html", trafilatura_html, ("trafilatura", "lxml")),
    System("readability-lxml", "html", readability_html, ("readability-lxml", "lxml")),
    System("jusText", "html", justext_html, ("justext", "lxml")),
    System("boilerpy3", "html", boilerpy3_html, ("boilerpy3",)),
    System("resiliparse", "html", resiliparse_html, ("resiliparse",)),
)
TEXT_SYSTEMS: tuple[System, ...] = (
    System("keep everything", "text", keep_everything, cached=False),
    System("C4 rule", "text", c4_rule, cached=False),
    System("jusText on lines", "text", justext_lines, ("justext", "lxml")),
)

# By name, as the benchmark used them before systems were introduced.
HTML_COMPETITORS: dict[str, Extractor] = {system.name: system.extract for system in HTML_SYSTEMS}
TEXT_BASELINES: dict[str, Extractor] = {system.name: system.extract for system in TEXT_SYSTEMS}


# A tiny input each system is tried on before a run, so that a package that is listed but does not import is
# reported once instead of failing on every page.
PROBE_TEXT = "A line of text that ends a sentence, as a probe."
PROBE_PAGE = f"<html><body><p>{PROBE_TEXT}</p></body></html>"


def installed(systems: Sequence[System]) -> tuple[list[System], list[str]]:
    """The systems whose packages are installed (and import), and a note for each one that is not."""
    found: list[System] = []
    notes: list[str] = []
    for system in systems:
        try:
            system.version()
            system.extract(PROBE_PAGE if system.input == "html" else PROBE_TEXT)
        except MissingCompetitor as error:
            notes.append(f"{system.name} skipped: {error}")
        else:
            found.append(system)
    return found, notes

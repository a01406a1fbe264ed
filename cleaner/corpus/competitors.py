"""Other extractors and simple baselines, run on the same pages for the benchmark.

The HTML extractors are optional dependencies (``pip install -e .[bench]``); a missing one is
reported and skipped, never faked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from cleaner.errors import CleanerError

Extractor = Callable[[str], str]

# The C4 rule (Raffel et al. 2020): keep lines of at least this many words ending in terminal punctuation.
C4_MIN_WORDS = 5
_C4_TERMINAL = re.compile(r"[.!?…\"'”’»]\s*$")
# jusText needs a stop-word list; the page's language is guessed among these by stop-word hits.
JUSTEXT_LANGUAGES = ("English", "Hungarian", "French", "German", "Spanish", "Italian", "Portuguese", "Dutch")


class MissingCompetitor(CleanerError):
    """A competitor's package is not installed (install the ``bench`` extra)."""


def keep_everything(text: str) -> str:
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
    words = re.findall(r"\w+", text.lower())[:3000]
    best = max(_stoplists().items(), key=lambda item: sum(word in item[1] for word in words))
    return best[1]


def _require(module: str):
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingCompetitor(f"{module} is not installed: pip install -e '.[bench]'") from None


def justext_html(html: str) -> str:
    justext = _require("justext")
    from lxml import etree
    from lxml import html as lxml_html

    try:
        sample = lxml_html.fromstring(html).text_content()
    except (etree.ParserError, ValueError):
        sample = html
    paragraphs = justext.justext(html.encode("utf-8", "replace"), _guess_stoplist(sample), encoding="utf-8")
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


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


def trafilatura_html(html: str) -> str:
    trafilatura = _require("trafilatura")
    return trafilatura.extract(html) or ""


def boilerpy3_html(html: str) -> str:
    extractors = _require("boilerpy3.extractors")
    return extractors.ArticleExtractor(raise_on_failure=False).get_content(html) or ""


def readability_html(html: str) -> str:
    readability = _require("readability")
    from lxml import html as lxml_html

    summary = readability.Document(html).summary(html_partial=True)
    tree = lxml_html.fromstring(summary)
    blocks = tree.xpath("//p|//h1|//h2|//h3|//h4|//h5|//h6|//li|//pre|//blockquote|//td")
    text = "\n".join(" ".join(block.text_content().split()) for block in blocks)
    return text or " ".join(tree.text_content().split())


HTML_COMPETITORS: dict[str, Extractor] = {
    "trafilatura": trafilatura_html,
    "jusText": justext_html,
    "boilerpy3": boilerpy3_html,
    "readability-lxml": readability_html,
}
TEXT_BASELINES: dict[str, Extractor] = {
    "keep everything": keep_everything,
    "C4 rule": c4_rule,
    "jusText on lines": justext_lines,
}

"""Pages their scripts render, fetched without running them: how much of the article comes out.

    python bench/script_rendered.py [--corpora ../shared/corpora] [--models bench/results/held-out]

A page built in the browser by its scripts reaches a crawler as a shell (a menu, an empty
``<div id="root">``, a footer) with its article, often, in its JSON-LD (``articleBody``). The corpora
hold no such page, so they are made here: every corpus page whose JSON-LD gives an article text (of
:data:`cleaner.read.titles.MIN_STRUCTURED_CHARS` or more) keeps its ``<head>``, and its body is
replaced by the same small shell, with the page's JSON-LD scripts (wherever they stood) at its end.
Each shell is cleaned by cleaner (with the held-out models of its corpus where ``--models`` holds
them, else the shipped models) and by trafilatura (if installed), and scored against the page's gold
text (``cleaner.corpus.scoring``); the whole page's score by cleaner is given beside, for what the
data's article lacks against what the page shows. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cleaner import Cleaner  # noqa: E402
from cleaner.corpus.pages import iter_corpus_pages  # noqa: E402
from cleaner.corpus.scoring import TpFpFn, aggregate, page_scores  # noqa: E402
from cleaner.metadata.jsonld import read_jsonld  # noqa: E402
from cleaner.model import Model  # noqa: E402
from cleaner.read import read_html  # noqa: E402
from cleaner.read.titles import MIN_STRUCTURED_CHARS  # noqa: E402

SHELL = (
    "<body><header><nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></nav></header>"
    "<div id='root'></div><footer><p>© Example Media. All rights reserved.</p></footer>{scripts}</body></html>"
)
_BODY = re.compile(r"<body\b[^>]*>", re.IGNORECASE)


def shell_of(html: str, jsonld: tuple[str, ...]) -> str | None:
    """The page with its body replaced by :data:`SHELL` holding the ``jsonld`` scripts; None for a page
    without a <body> tag."""
    found = _BODY.search(html)
    if found is None:
        return None
    scripts = "".join(f'<script type="application/ld+json">{script}</script>' for script in jsonld)
    return html[: found.start()] + SHELL.format(scripts=scripts)


def cleaner_for(corpus: str, models: Path, cache: dict[str, Cleaner]) -> Cleaner:
    if corpus not in cache:
        text, html = models / f"text-{corpus}.json", models / f"html-{corpus}.json"
        cache[corpus] = Cleaner(Model.load(text), Model.load(html)) if html.exists() else Cleaner.load()
    return cache[corpus]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    parser.add_argument("--models", type=Path, default=ROOT / "bench" / "results" / "held-out")
    args = parser.parse_args()
    try:
        import trafilatura
    except ImportError:
        trafilatura = None
    cleaners: dict[str, Cleaner] = {}
    scores: dict[str, dict[str, list[TpFpFn]]] = defaultdict(lambda: defaultdict(list))
    read_in = 0
    for page in iter_corpus_pages(args.corpora):
        jsonld = read_html(page.html).signals.jsonld
        if not jsonld or sum(map(len, read_jsonld(list(jsonld)).paragraphs)) < MIN_STRUCTURED_CHARS:
            continue
        shell = shell_of(page.html, jsonld)
        if shell is None:
            continue
        cleaner = cleaner_for(page.corpus, args.models, cleaners)
        article = cleaner.article(shell)
        read_in += article.from_data
        found = {"cleaner, shell": article.text, "cleaner, whole page": cleaner.clean_html(page.html)}
        if trafilatura is not None:
            found["trafilatura, shell"] = trafilatura.extract(shell) or ""
        for system, text in found.items():
            for group in (page.corpus, "all"):
                scores[group][system].append(page_scores(text, page.gold))
    systems = list(scores["all"]) if scores else []
    models = "held-out" if any((args.models / f"html-{c}.json").exists() for c in cleaners) else "shipped"
    print(f"{len(scores['all'].get(systems[0], [])) if systems else 0} pages; cleaner's models: {models}; ", end="")
    print(f"the data's article read in on {read_in}\n")
    print("| corpus | pages | " + " | ".join(f"{system}: F1 (P / R)" for system in systems) + " |")
    print("|---|--:|" + "--:|" * len(systems))
    for group, by_system in sorted(scores.items(), key=lambda item: (item[0] == "all", item[0])):
        cells = []
        for system in systems:
            total = aggregate(by_system[system])
            cells.append(f"{total.f1:.3f} ({total.precision:.2f} / {total.recall:.2f})")
        print(f"| {group} | {len(by_system[systems[0]])} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()

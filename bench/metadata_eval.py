"""Accuracy of cleaner.metadata against trafilatura's metadata, for title, author and date.

Run from the repository: ``.venv/bin/python bench/metadata_eval.py`` (``--errors`` lists the misses,
``--no-trafilatura`` times cleaner alone). The corpora are read from ``$CLEANER_CORPORA``, else from
``shared/corpora`` beside the repository.

Title: every Fundus page; the expected title is the first line of the page's gold text (Fundus's
per-publisher parsers put the headline there). Titles are compared after normalising Unicode (NFKC),
whitespace, case and quotation marks (all quote characters are dropped).

Author and date: the pages of ``bench/data/metadata_gold.json``, which holds page ids and expected
values only, never page content. How it was made:

1. a deterministic sample of article pages: per corpus, the pages in order of the SHA-1 of their id
   (magichtml: its ``article__`` pages only). Split "dev": the first fundus 70, msv 60,
   googletrends2017 45, magichtml 45, l3s-gn1 50 and dragnet 50 (320 pages), which were looked at
   while cleaner.metadata's heuristics were written, so its figures there are optimistic. Split
   "heldout": the next fundus 25, msv 20, googletrends2017 15, magichtml 15, l3s-gn1 18 and dragnet 18
   (111 pages), labelled after the heuristics were frozen and not used to tune them;
2. for each page, the visible text (html-text's rendering) was shown around the headline, restricted
   to lines holding a date or a byline word, beside the values cleaner, trafilatura and htmldate
   proposed;
3. each page was decided by hand from the visible lines: the author is the name(s) the visible byline
   gives (as written, organisations included when the byline names one: "By Associated Press"); the
   date is the publication date the page shows. A field was left out when the page does not show it
   in its visible text (structured data alone is not evidence), when the only visible date is a
   modification date ("Updated ...", "Last updated ...") or relative ("1 day ago"), or when the visible
   dates disagree without saying which is the publication (a header's current date, an edition date).

Titles were tuned on the same Fundus pages they are measured on (there is no held-out title set).

Author match: the set of names, each normalised (NFKC, case, dots and whitespace), equals the expected
set; the systems' "; "-joined lists are split on ";". Date match: the same ``YYYY-MM-DD``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import re
import sys
import time
import unicodedata
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
GOLD_PATH = REPOSITORY / "bench" / "data" / "metadata_gold.json"
FIELDS = ("title", "author", "date")
# Quotation marks of many scripts, dropped before comparing titles.
_QUOTES_RE = re.compile(r"[\"'“”„‟«»‘’‚‛`´‹›「」『』]")

if str(REPOSITORY) not in sys.path:
    sys.path.append(str(REPOSITORY))

from cleaner.metadata import metadata_from_html  # noqa: E402  (after the path is set)


def corpora_dir() -> Path:
    env = os.environ.get("CLEANER_CORPORA")
    return Path(env) if env else REPOSITORY.parent / "shared" / "corpora"


def read_corpus(folder: Path, corpus: str) -> Iterator[dict]:
    with gzip.open(folder / f"{corpus}.jsonl.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)


def normalise_title(text: str | None) -> str:
    if not text:
        return ""
    text = _QUOTES_RE.sub("", unicodedata.normalize("NFKC", text))
    return " ".join(text.split()).casefold()


def normalise_authors(text: str | None) -> frozenset[str]:
    if not text:
        return frozenset()
    names = (
        " ".join(unicodedata.normalize("NFKC", name).replace(".", " ").split()).casefold() for name in text.split(";")
    )
    return frozenset(name for name in names if name)


MATCHERS: dict[str, Callable[[str | None, str], bool]] = {
    "title": lambda found, expected: normalise_title(found) == normalise_title(expected),
    "author": lambda found, expected: normalise_authors(found) == normalise_authors(expected),
    "date": lambda found, expected: (found or None) == expected,
}


def cleaner_fields(html: str, url: str | None) -> dict[str, str | None]:
    meta = metadata_from_html(html, url)
    return {"title": meta.title, "author": meta.author, "date": meta.date}


def trafilatura_fields(html: str, url: str | None) -> dict[str, str | None]:
    import trafilatura

    try:
        document = trafilatura.extract_metadata(html, default_url=url)
    except Exception:  # noqa: BLE001 - a competitor's crash is a miss, not the end of the run
        return dict.fromkeys(FIELDS)
    return {field: getattr(document, field, None) for field in FIELDS}


def cases(folder: Path, gold_path: Path) -> list[tuple[dict, str, dict[str, str]]]:
    """(page, split, expected fields) for every evaluated page: Fundus titles, and the gold file's pages."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))["pages"]
    wanted: dict[tuple[str, str], tuple[str, dict[str, str]]] = {}
    for entry in gold:
        fields = {field: entry[field] for field in ("author", "date") if field in entry}
        wanted[(entry["corpus"], entry["id"])] = (entry.get("split", "dev"), fields)
    found: list[tuple[dict, str, dict[str, str]]] = []
    for corpus in sorted({corpus for corpus, _ in wanted} | {"fundus"}):
        for page in read_corpus(folder, corpus):
            split, fields = wanted.get((corpus, page["id"]), ("dev", {}))
            expected = dict(fields)
            if corpus == "fundus" and page.get("gold"):
                expected["title"] = page["gold"].split("\n", 1)[0]
            if expected:
                found.append((page, split, expected))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--gold", type=Path, default=GOLD_PATH)
    parser.add_argument("--no-trafilatura", action="store_true", help="evaluate cleaner.metadata only")
    parser.add_argument("--errors", action="store_true", help="list the pages each system gets wrong")
    args = parser.parse_args(argv)
    folder = corpora_dir()
    if not folder.is_dir():
        print(f"no corpora at {folder} (set CLEANER_CORPORA)", file=sys.stderr)
        return 2
    logging.disable(logging.CRITICAL)
    warnings.filterwarnings("ignore")
    systems: dict[str, Callable[[str, str | None], dict[str, str | None]]] = {"cleaner": cleaner_fields}
    if not args.no_trafilatura:
        systems["trafilatura"] = trafilatura_fields
    data = cases(folder, args.gold)
    rows = [("title", "all"), *((field, split) for field in ("author", "date") for split in ("all", "dev", "heldout"))]
    totals = dict.fromkeys(rows, 0)
    right = {(name, row): 0 for name in systems for row in rows}
    seconds = dict.fromkeys(systems, 0.0)
    errors: list[str] = []
    for page, split, expected in data:
        keys = {field: [row for row in rows if row[0] == field and row[1] in ("all", split)] for field in expected}
        for field in expected:
            for row in keys[field]:
                totals[row] += 1
        for name, extract in systems.items():
            start = time.perf_counter()
            fields = extract(page["html"], page.get("url"))
            seconds[name] += time.perf_counter() - start
            for field, value in expected.items():
                if MATCHERS[field](fields[field], value):
                    for row in keys[field]:
                        right[(name, row)] += 1
                elif args.errors:
                    errors.append(f"{name:12} {field:6} {page['corpus']}/{page['id']}: {fields[field]!r} != {value!r}")
    print(f"{'field':8}{'split':9}{'pages':>6}" + "".join(f"{name:>14}" for name in systems))
    for row in rows:
        cells = "".join(f"{right[(name, row)] / max(totals[row], 1):>14.3f}" for name in systems)
        print(f"{row[0]:8}{row[1]:9}{totals[row]:>6}{cells}")
    print(f"{'seconds':23}" + "".join(f"{seconds[name]:>14.1f}" for name in systems))
    for line in errors:
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

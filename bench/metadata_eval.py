"""Accuracy of cleaner.metadata against trafilatura's metadata, for title, author and date (the
evaluation itself is :func:`cleaner.corpus.metadata_eval.evaluate_metadata`; ``cleaner benchmark``
prints the same table).

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
import os
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
GOLD_PATH = REPOSITORY / "bench" / "data" / "metadata_gold.json"

if str(REPOSITORY) not in sys.path:
    sys.path.append(str(REPOSITORY))

from cleaner.corpus.metadata_eval import evaluate_metadata  # noqa: E402  (after the path is set)


def corpora_dir() -> Path:
    env = os.environ.get("CLEANER_CORPORA")
    return Path(env) if env else REPOSITORY.parent / "shared" / "corpora"


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
    systems = ("cleaner",) if args.no_trafilatura else ("cleaner", "trafilatura")
    scores = evaluate_metadata(folder, args.gold, systems, errors=args.errors)
    print(scores.format())
    for line in scores.errors:
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Whether two source trees of cleaner give the same outputs on every corpus page: what a change meant
to make cleaner faster, and nothing else, must leave them byte for byte as they were.

    python bench/same_outputs.py BEFORE AFTER [--corpora ../shared/corpora] [--pages N]   # N: of each corpus

BEFORE and AFTER are checkouts with their compiled core built in place, as for ``bench/pair_trees.py``
(the current tree is ``.``). Each is run in its own process, with the shipped models of its own tree,
over the corpus pages: ``clean_html`` and ``markdown`` of each page, ``Cleaner.clean`` of its text
rendering (all its lines, as ``bench/speed.py`` renders a page to text), and ``clean_many`` over all
the pages at once (pages classified in batches). Printed: each tree's digest of all of them, and the pages whose
outputs differ (at most ten), with the call that differs. Exit status 1 when any does.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHOWN = 10


def outputs(corpora: Path, pages: int | None) -> dict[str, str]:
    """This process's outputs, for the cleaner it imports: a digest per page and call."""
    from cleaner import Cleaner, Options
    from cleaner.corpus.pages import iter_corpus_pages
    from cleaner.errors import CleanerError

    sys.path.insert(0, str(HERE))
    from speed import render_pages

    found = list(iter_corpus_pages(corpora, limit=pages, raw=True))  # the pages as stored, as a user has them
    cleaner, html, text = Cleaner.load(), Options(input_format="html"), Options(input_format="text")
    data = [page.html.encode("utf-8", "surrogatepass") for page in found]

    def digest(call) -> str:
        try:
            out = call()
        except CleanerError as error:  # a page refused is an output too
            out = f"{type(error).__name__}: {error}"
        return hashlib.sha256(out.encode("utf-8", "surrogatepass")).hexdigest()

    names = [f"{page.id} (page {index})" for index, page in enumerate(found)]  # a few ids recur in a corpus
    digests = {}
    for name, raw, page in zip(names, data, found):
        digests[f"{name} clean_html"] = digest(lambda: cleaner.clean_html(raw))
        digests[f"{name} markdown"] = digest(lambda: cleaner.markdown(raw, html))
        for rendered in render_pages([page.html]):  # none for a page that renders to no text
            digests[f"{name} clean (text)"] = digest(lambda: cleaner.clean(rendered, text))
    for name, out in zip(names, cleaner.clean_many(data, html)):
        digests[f"{name} clean_many"] = digest(lambda: out)
    return digests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("trees", nargs="*", type=Path, help="BEFORE and AFTER")
    parser.add_argument("--corpora", type=Path, default=HERE.parent.parent / "shared" / "corpora")
    parser.add_argument("--pages", type=int, default=None, help="the first N pages of each corpus only")
    parser.add_argument("--outputs", action="store_true", help=argparse.SUPPRESS)  # a child's run
    args = parser.parse_args()
    if args.outputs:
        print(json.dumps(outputs(args.corpora, args.pages)))
        return
    if len(args.trees) != 2:
        parser.error("give two trees: BEFORE and AFTER")
    command = [sys.executable, __file__, "--outputs", "--corpora", str(args.corpora)]
    command += ["--pages", str(args.pages)] if args.pages else []
    found = []
    for tree in args.trees:
        env = {**os.environ, "PYTHONPATH": str(tree.resolve())}
        out = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
        digests = json.loads(out.splitlines()[-1])
        whole = hashlib.sha256("".join(digests.values()).encode()).hexdigest()
        print(f"{tree}: {len(digests)} outputs, digest {whole[:16]}")
        found.append(digests)
    before, after = found
    differ = [key for key in before if before[key] != after.get(key)] + [key for key in after if key not in before]
    if not differ:
        print("the same outputs")
        return
    print(f"{len(differ)} outputs differ, among them:")
    for key in differ[:SHOWN]:
        print(f"  {key}")
    sys.exit(1)


if __name__ == "__main__":
    main()

"""The speed of two source trees of cleaner, paired: each measured in its own process, the two taking
turns, so that the machine's drift moves both alike (docs/benchmarks.md, "Machines and drift").

    python bench/pair_trees.py BEFORE AFTER [--rounds 3]

BEFORE and AFTER are checkouts with their compiled core built in place (``git worktree add /tmp/before
COMMIT && cd /tmp/before && python setup.py build_ext --inplace``; the current tree is ``.``). Each
process measures, with one BLAS thread and the best of three passes, what ``bench/speed.py`` measures
(its pages, its text rendering and its three-line page): ``Cleaner.clean`` over corpus pages rendered
to text (MB/s), ``clean_html`` over corpus pages (pages/s), and the three-line page's fixed cost
(``Cleaner.clean`` ``SMALL_PAGE_CALLS`` times, ms a call).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIGURES = {"text": "text MB/s", "html": "HTML pages/s", "small": "three-line page, ms"}


def measure(corpora: Path, text_pages: int, html_pages: int) -> dict[str, float]:
    """This process's figures, for the cleaner it imports."""
    from cleaner import Cleaner, Options
    from cleaner.blas import one_blas_thread

    sys.path.insert(0, str(HERE))
    from speed import SMALL_PAGE, SMALL_PAGE_CALLS, load_pages, render_pages

    pages = load_pages(corpora, max(text_pages, html_pages))
    texts = render_pages(pages[:text_pages])
    html = pages[:html_pages]
    cleaner, text, markup = Cleaner.load(), Options(input_format="text"), Options(input_format="html")

    def best(run) -> float:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            run()
            times.append(time.perf_counter() - start)
        return min(times)

    with one_blas_thread():
        for page in texts[:20]:
            cleaner.clean(page, text)
        text_time = best(lambda: [cleaner.clean(page, text) for page in texts])
        html_time = best(lambda: [cleaner.clean_html(page, markup) for page in html])
        small_time = best(lambda: [cleaner.clean(SMALL_PAGE) for _ in range(SMALL_PAGE_CALLS)])
    return {
        "text": sum(map(len, texts)) / 1e6 / text_time,
        "html": len(html) / html_time,
        "small": small_time / SMALL_PAGE_CALLS * 1e3,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("trees", nargs="*", type=Path, help="BEFORE and AFTER")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--corpora", type=Path, default=HERE.parent.parent / "shared" / "corpora")
    parser.add_argument("--text-pages", type=int, default=300)
    parser.add_argument("--html-pages", type=int, default=200)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)  # a child's run
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.corpora, args.text_pages, args.html_pages)))
        return
    if len(args.trees) != 2:
        parser.error("give two trees: BEFORE and AFTER")
    runs: dict[Path, list[dict[str, float]]] = {tree: [] for tree in args.trees}
    command = [sys.executable, __file__, "--measure", "--corpora", str(args.corpora)]
    command += ["--text-pages", str(args.text_pages), "--html-pages", str(args.html_pages)]
    for _ in range(args.rounds):
        for tree in args.trees:
            env = {**os.environ, "PYTHONPATH": str(tree.resolve()), "OPENBLAS_NUM_THREADS": "1"}
            out = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
            runs[tree].append(json.loads(out.splitlines()[-1]))
            print(tree, runs[tree][-1], flush=True)
    before, after = args.trees
    for key, name in FIGURES.items():
        old = [run[key] for run in runs[before]]
        new = [run[key] for run in runs[after]]
        ratios = [b / a for a, b in zip(old, new)]
        print(
            f"{name:22s} {', '.join(f'{v:.3g}' for v in old)} -> {', '.join(f'{v:.3g}' for v in new)}"
            f"  (medians {statistics.median(old):.3g} -> {statistics.median(new):.3g};"
            f" after/before pair by pair {', '.join(f'{r:.2f}' for r in ratios)})"
        )


if __name__ == "__main__":
    main()

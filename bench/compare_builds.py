"""Held-out builds side by side: per-corpus F1 to four decimals, and the pages that moved.

    python bench/compare_builds.py BUILD [BUILD ...] [--mode html|text] [--corpus NAME ...]
        [--corpora ../shared/corpora] [--cache bench/results/cache] [--top 8]

Each BUILD is a folder of held-out models as ``training/build_models.py --held-out BUILD`` writes them
(one model per mode and corpus, each trained without that corpus). Every corpus page is cleaned by
each build's models that never saw its corpus, HTML pages as ``cleaner benchmark`` cleans them and
their html-text renderings in text mode, and scored with the benchmark's shingle metric (precision
and recall averaged per corpus, F1 of the averages). Prints a Markdown table, a row per build, then
for each build after the first the pages whose F1 moved most against the first.

What a change to the features, the read stage or the build is worth is told this way: rebuild the
held-out models with the change into another folder and compare the two builds. The benchmark's
tables round to three decimals, and a rebuild alone moves hundreds of pages by a little
(docs/benchmarks.md), so a change is judged on the corpus figures, not on a list of pages.
About a minute and a half per build for the nine corpora on the 2-core machine.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from speed import ROOT

# A page counts as moved when its F1 changed by more than this.
MOVED = 0.005


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("builds", type=Path, nargs="+", help="Folders of held-out models; the first is the baseline.")
    parser.add_argument("--mode", choices=("html", "text"), default="html")
    parser.add_argument("--corpus", action="append", help="Only this corpus (repeatable).")
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    parser.add_argument("--cache", type=Path, default=ROOT / "bench" / "results" / "cache")
    parser.add_argument("--top", type=int, default=8, help="Pages listed each way per build.")
    args = parser.parse_args()

    from cleaner.corpus.benchmark import held_out_html, held_out_text, load_held_out
    from cleaner.corpus.pages import CORPORA, iter_corpus_pages
    from cleaner.corpus.report import score_system
    from cleaner.corpus.score_cache import SCORES_FILE, Scorer
    from cleaner.corpus.systems import render_pages

    corpora = args.corpus or list(CORPORA)
    pages = list(iter_corpus_pages(args.corpora, corpora))
    texts = render_pages(pages, cache_dir=args.cache) if args.mode == "text" else {}
    scorer = Scorer.load(args.cache / SCORES_FILE)
    systems = []
    for build in args.builds:
        held_out = load_held_out(build, corpora)
        outputs = held_out_html(pages, held_out) if args.mode == "html" else held_out_text(pages, held_out, texts)
        systems.append(score_system(str(build), pages, outputs, scorer))
    scorer.save(args.cache / SCORES_FILE)

    print(f"{args.mode}, held out by corpus (F1 of the corpus's averaged precision and recall)\n")
    print("| build | " + " | ".join(corpora) + " | all |")
    print("|---|" + "--:|" * (len(corpora) + 1))
    for system in systems:
        cells = [system.scores(name).f1 for name in corpora] + [system.scores().f1]
        print(f"| {system.name} | " + " | ".join(f"{cell:.4f}" for cell in cells) + " |")
    baseline = systems[0]
    for system in systems[1:]:
        change = sorted(
            ((page.f1 - baseline.page(page.corpus, page.page_id).f1, page) for page in system.pages),
            key=lambda item: item[0],
        )
        moved = [(delta, page) for delta, page in change if abs(delta) > MOVED]
        down = [(delta, page) for delta, page in moved if delta < 0]
        up = [(delta, page) for delta, page in reversed(moved) if delta > 0]
        print(f"\n{system.name} against {baseline.name}: {len(moved)} pages moved by more than {MOVED}, {len(up)} up")
        for delta, page in [*down[: args.top], *up[: args.top]]:
            print(f"  {page.corpus}/{page.page_id}: {page.f1 - delta:.3f} -> {page.f1:.3f}")


if __name__ == "__main__":
    main()

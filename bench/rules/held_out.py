"""What the scripts of this folder share: every corpus page cleaned as HTML by the held-out models that
never saw its corpus (as ``bench/compare_builds.py`` cleans it), once per variant of the pipeline, and a
row of per-corpus F1 printed for each (the benchmark's shingle metric, four decimals)."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def add_held_out_arguments(parser: argparse.ArgumentParser) -> None:
    """The held-out models' folder, the corpora to read and where the scores are cached."""
    parser.add_argument("held_out", type=Path, help="A folder of held-out models.")
    parser.add_argument("--corpus", action="append", help="Only this corpus (repeatable).")
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    parser.add_argument("--cache", type=Path, default=ROOT / "bench" / "results" / "cache")


def print_rows(
    args: argparse.Namespace, names: Sequence[str], variant: Callable[[str], AbstractContextManager[Any]], title: str
) -> tuple[dict[str, Any], list[str]]:
    """Each of ``names`` scored with the pipeline as ``variant(name)`` makes it, a row printed as it is
    done; the scored systems by name, and the corpora."""
    from cleaner.corpus.benchmark import held_out_html, load_held_out
    from cleaner.corpus.pages import CORPORA, iter_corpus_pages
    from cleaner.corpus.report import score_system
    from cleaner.corpus.score_cache import SCORES_FILE, Scorer

    corpora = args.corpus or list(CORPORA)
    pages = list(iter_corpus_pages(args.corpora, corpora))
    held_out = load_held_out(args.held_out, corpora)
    scorer = Scorer.load(args.cache / SCORES_FILE)
    print(f"| {title} | " + " | ".join(corpora) + " | all |")
    print("|---|" + "--:|" * (len(corpora) + 1))
    systems = {}
    for name in names:
        with variant(name):
            systems[name] = score_system(name, pages, held_out_html(pages, held_out), scorer)
        cells = [systems[name].scores(corpus).f1 for corpus in corpora] + [systems[name].scores().f1]
        print(f"| {name} | " + " | ".join(f"{cell:.4f}" for cell in cells) + " |", flush=True)
    scorer.save(args.cache / SCORES_FILE)
    return systems, corpora

"""Decision rules tried on held-out line results, without a rebuild and without cleaning again.

    python bench/replay_decisions.py collect HELD_OUT RESULTS.jsonl.gz [--corpus NAME ...] [--corpora DIR]
    python bench/replay_decisions.py score RESULTS.jsonl.gz RULES.py [--list]

``collect`` cleans every corpus page as HTML with the held-out models that never saw its corpus (as
``compare_builds.py`` reads a build's folder), and writes each page's lines with what the pipeline
decided: text, line number, label probabilities, keep-probability and kept flag, and the page's
flags (fell back, narrowed, declares an article), its gold text and the model's threshold (the
probabilities rounded to four decimals, as :class:`cleaner.LineResult` gives them). About three
minutes for the nine corpora on the 2-core machine.

``score`` replays the rules of a Python file on those results: each function named ``rule_*`` takes a
:class:`ReplayPage` and returns the kept flag of each of its lines. Prints the per-corpus F1 (the
benchmark's shingle metric, to four decimals), the pipeline's own decisions first, and for each rule
the number of pages it changed per corpus; ``--list`` adds those pages with their F1 before and
after. A few seconds a rule.

Only rules over what the pipeline's decisions already give (probabilities, decisions, the page's
lines and flags) can be replayed: a rule that needs the page's markup or features belongs in the
decide stage (``cleaner/decide/``), measured with ``compare_builds.py``.
The rules this project tried this way are in ``bench/rules/`` (docs/experiments.md, "Decision
rules").
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from speed import ROOT

Rule = Callable[["ReplayPage"], list[bool]]


@dataclass(frozen=True)
class ReplayPage:
    """One page's lines as the pipeline decided them (see the module's docstring)."""

    corpus: str
    page_id: str
    gold: str
    threshold: float
    fallback: bool
    narrowed: bool
    declares_article: bool
    labels: tuple[str, ...]
    numbers: list[int]
    texts: list[str]
    probabilities: np.ndarray  # one row per line, one column per label
    keep: np.ndarray  # the smoothed keep-probability of each line
    kept: list[bool]

    @property
    def chars(self) -> np.ndarray:
        return np.fromiter(map(len, self.texts), dtype=float, count=len(self.texts))

    def probability(self, label: str) -> np.ndarray:
        return self.probabilities[:, self.labels.index(label)]


def collect(held_out: Path, corpora_dir: Path, corpora: list[str], out: Path) -> None:
    from cleaner import Cleaner, Options
    from cleaner.corpus.benchmark import load_held_out
    from cleaner.corpus.pages import iter_corpus_pages
    from cleaner.errors import CleanerError
    from cleaner.model.text_view import declares_article
    from cleaner.pipeline import classified

    as_html = Options(input_format="html")
    models = load_held_out(held_out, corpora)
    with gzip.open(out, "wt", encoding="utf-8") as handle:
        for corpus in corpora:
            cleaner = Cleaner(models["text"][corpus], models["html"][corpus])
            model = cleaner.models.for_html()
            for page in iter_corpus_pages(corpora_dir, [corpus]):
                try:
                    read = cleaner.read_page(page.html, as_html)
                    found = classified(read, model, as_html)  # what Cleaner.process gives, the page read once
                except CleanerError:
                    read, found = None, None
                results = found.results if found is not None else []
                record = {
                    "corpus": corpus,
                    "id": page.id,
                    "gold": page.gold,
                    "threshold": model.threshold,
                    "fallback": bool(found and found.fallback),
                    "narrowed": bool(found and found.narrowed),
                    "declares_article": bool(read and declares_article(read.signals)),
                    "labels": list(model.labels),
                    "numbers": [r.number for r in results],
                    "texts": [r.text for r in results],
                    "probabilities": [[r.probabilities[label] for label in model.labels] for r in results],
                    "keep": [r.keep_probability for r in results],
                    "kept": [r.kept for r in results],
                }
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            print(f"{corpus}: collected", flush=True)


def read_pages(path: Path) -> Iterator[ReplayPage]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            r = json.loads(line)
            labels = tuple(r["labels"])
            probabilities = np.array(r["probabilities"], dtype=float).reshape(-1, len(labels))
            yield ReplayPage(
                r["corpus"], r["id"], r["gold"], r["threshold"], r["fallback"], r["narrowed"],
                r["declares_article"], labels, r["numbers"], r["texts"], probabilities,
                np.array(r["keep"], dtype=float), r["kept"],
            )  # fmt: skip


def load_rules(path: Path) -> dict[str, Rule]:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rules = {name: getattr(module, name) for name in dir(module) if name.startswith("rule_")}
    if not rules:
        raise SystemExit(f"{path} defines no function named rule_*")
    return rules


def score(path: Path, rules_file: Path, list_pages: bool) -> None:
    from cleaner.corpus.scoring import aggregate, f1_score, page_scores
    from cleaner.render import render_kept

    rules = load_rules(rules_file)
    names = ["decided", *rules]
    scores: dict[str, dict[str, list]] = {name: {} for name in names}
    changed: dict[str, dict[str, list[str]]] = {name: {} for name in names}
    for page in read_pages(path):
        base = page_scores(render_kept(page.numbers, page.texts, page.kept), page.gold)
        scores["decided"].setdefault(page.corpus, []).append(base)
        for name, rule in rules.items():
            kept = [bool(flag) for flag in rule(page)]
            found = base
            if kept != page.kept:
                found = page_scores(render_kept(page.numbers, page.texts, kept), page.gold)
                note = f"{page.corpus}/{page.page_id}: {f1_score(*base):.3f} -> {f1_score(*found):.3f}"
                changed[name].setdefault(page.corpus, []).append(note)
            scores[name].setdefault(page.corpus, []).append(found)
    corpora = list(scores["decided"])
    print("| rule | " + " | ".join(corpora) + " | all |")
    print("|---|" + "--:|" * (len(corpora) + 1))
    for name in names:
        cells = [f"{aggregate(scores[name][c]).f1:.4f} ({len(changed[name].get(c, []))})" for c in corpora]
        pooled = aggregate([s for c in corpora for s in scores[name][c]]).f1
        print(f"| {name} | " + " | ".join(cells) + f" | {pooled:.4f} |")
    print("\n(in brackets: the pages whose kept lines the rule changed)")
    if list_pages:
        for name in rules:
            print(f"\n{name}:")
            for corpus in corpora:
                for note in changed[name].get(corpus, []):
                    print(f"  {note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    gather = commands.add_parser("collect", help="Clean every corpus page with its held-out models; write the lines.")
    gather.add_argument("held_out", type=Path, help="A folder of held-out models (build_models.py --held-out).")
    gather.add_argument("out", type=Path, help="Where to write the results (.jsonl.gz).")
    gather.add_argument("--corpus", action="append", help="Only this corpus (repeatable).")
    gather.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    replay = commands.add_parser("score", help="Score the rule_* functions of a file on collected results.")
    replay.add_argument("results", type=Path)
    replay.add_argument("rules", type=Path)
    replay.add_argument("--list", action="store_true", help="List the pages each rule changed.")
    args = parser.parse_args()
    if args.command == "collect":
        from cleaner.corpus.pages import CORPORA

        collect(args.held_out, args.corpora, args.corpus or list(CORPORA), args.out)
    else:
        score(args.results, args.rules, args.list)


if __name__ == "__main__":
    main()

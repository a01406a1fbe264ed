"""How the held-out HTML F1 moves with the threshold: each corpus cleaned by its held-out model, at
one threshold for every corpus, the fallback and the page check applied as the pipeline applies them
with the model's own threshold (a user's --threshold turns both off: this is not that dial's curve).

    python bench/threshold_curve.py [--corpora ../shared/corpora] [--models bench/results/held-out]
        [--thresholds 0.35 0.4 0.45 0.5 0.55 0.6]

Each page is read and featurised once; the decision is then made at each threshold. Prints the page
averaged F1 (the benchmark's shingle metric) per corpus, over all pages pooled, and the mean of the
corpora. About 3 minutes for the nine corpora (3,887 pages) on the 2-core machine.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

import numpy as np
from speed import ROOT


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    parser.add_argument("--models", type=Path, default=ROOT / "bench" / "results" / "held-out")
    parser.add_argument("--thresholds", type=float, nargs="+", default=[0.35, 0.4, 0.45, 0.5, 0.55, 0.6])
    args = parser.parse_args()

    from cleaner import Options
    from cleaner.corpus.pages import CORPORA, iter_corpus_pages
    from cleaner.corpus.scoring import aggregate, page_scores
    from cleaner.errors import CleanerError
    from cleaner.features import feature_matrix
    from cleaner.model import Model
    from cleaner.pipeline import Models, decide_batch
    from cleaner.records import PageBatch

    thresholds = args.thresholds
    pooled: dict[float, list] = {t: [] for t in thresholds}
    rows = []
    for corpus in CORPORA:
        model = Model.load(args.models / f"html-{corpus}.json")
        scores: dict[float, list] = {t: [] for t in thresholds}
        for page in iter_corpus_pages(args.corpora, [corpus]):
            try:
                batch = PageBatch.of([Models(None, model).read_html(page.html)])
            except CleanerError:
                batch = None
            if batch is None or not len(batch.texts):
                for t in thresholds:
                    scores[t].append(page_scores("", page.gold))
                continue
            probabilities = model.predict(feature_matrix(batch, model.settings.feature_sets, model.line_columns), batch)
            texts = np.array(batch.texts, dtype=object)
            for t in thresholds:
                # The model's own threshold replaced, not Options(threshold=...): that turns off the
                # fallback and the page check.
                kept = decide_batch(probabilities, batch, replace(model, threshold=t), Options()).kept
                scores[t].append(page_scores("\n".join(texts[kept]), page.gold))
        rows.append((f"{corpus} (own {model.threshold:g})", [aggregate(scores[t]).f1 for t in thresholds]))
        for t in thresholds:
            pooled[t] += scores[t]
    print("| corpus | " + " | ".join(f"{t:g}" for t in thresholds) + " |")
    print("|---|" + "--:|" * len(thresholds))
    for name, values in rows:
        print(f"| {name} | " + " | ".join(f"{v:.3f}" for v in values) + " |")
    print("| all pages | " + " | ".join(f"{aggregate(pooled[t]).f1:.3f}" for t in thresholds) + " |")
    means = np.mean([values for _, values in rows], axis=0)
    print("| mean of the corpora | " + " | ".join(f"{v:.3f}" for v in means) + " |")


if __name__ == "__main__":
    main()

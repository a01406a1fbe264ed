"""Rebuild the shipped models (models/text.json and models/html.json) from the repository and the corpora.

    python training/build_models.py                      # seeds + ../shared/corpora
    python training/build_models.py --corpora PATH       # another corpora folder
    python training/build_models.py --seeds-only         # the text model from the hand-labeled seeds alone

Deterministic: the same inputs give the same weights (single-threaded fits, fixed random_state,
renderers assigned to pages round-robin). The models record what they were trained on, the
versions used, and their leave-one-corpus-out figures. Needs the ``bench`` extra (html-text and
inscriptis render the pages the text model learns from).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

from cleaner.corpus.pages import CORPORA, default_corpora_dir, iter_corpus_pages
from cleaner.features import TEXT_FEATURE_SETS, FeatureSettings
from cleaner.training import dataset_from_labeled, read_labeled_pages, train

HERE = Path(__file__).resolve().parent
SEEDS = HERE / "seeds"
MODELS = HERE.parent / "models"


def _trained_at() -> str:
    # SOURCE_DATE_EPOCH (reproducible-builds convention) pins the recorded date too.
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", type=Path, default=None, help="folder of the *.jsonl.gz corpora")
    parser.add_argument("--seeds-only", action="store_true", help="train the text model on the seeds alone")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes for aligning and fitting")
    parser.add_argument("--limit", type=int, default=None, help="pages per corpus (for a quick trial)")
    parser.add_argument("--output", type=Path, default=MODELS, help="where to write text.json and html.json")
    args = parser.parse_args()

    seeds = dataset_from_labeled(read_labeled_pages([SEEDS]))
    if args.seeds_only:
        model = train(seeds, FeatureSettings(TEXT_FEATURE_SETS), description="seeds only", trained_at=_trained_at())
        print(f"wrote {model.save(args.output / 'text.json')}")
        return 0

    from cleaner.corpus.build import (
        HTML_SETTINGS,
        TEXT_SETTINGS,
        Fitted,
        align_pages,
        build_corpus_data,
        final_model,
        held_out_corpora,
        training_sample,
    )

    started = time.perf_counter()
    root = args.corpora or default_corpora_dir()
    pages = training_sample(iter_corpus_pages(root, limit=args.limit))
    print(f"{len(pages)} pages from {root}; rendering and aligning ({args.jobs} jobs)", flush=True)
    aligned = align_pages(pages, jobs=args.jobs)
    for mode, settings in (("text", TEXT_SETTINGS), ("html", HTML_SETTINGS)):
        data = build_corpus_data(aligned, mode, seeds)
        print(f"{mode}: {len(data.data.lines)} lines; pages dropped by alignment {dict(data.dropped)}", flush=True)
        fitted = Fitted.prepare(data, settings)
        folds = held_out_corpora(fitted, CORPORA, jobs=args.jobs)
        model = final_model(
            fitted, folds, description=f"{mode} model: public corpora + hand-labeled seeds", trained_at=_trained_at()
        )
        figures = model.info["cross_validation"]["keep_chars"]
        print(
            f"{mode}: leave-one-corpus-out kept-text F1 {figures['f1']:.3f} "
            f"(precision {figures['precision']:.3f}, recall {figures['recall']:.3f}); "
            f"threshold {model.threshold:.3f}, smoothing {model.smoothing:.2f}",
            flush=True,
        )
        print(f"wrote {model.save(args.output / f'{mode}.json')}  ({time.perf_counter() - started:.0f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

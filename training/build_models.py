"""Rebuild the shipped models (models/text.json and models/html.json) from the seeds and the public corpora.

    python training/build_models.py --jobs 2                # seeds + every page of ../shared/corpora
    python training/build_models.py --corpora PATH         # another corpora folder
    python training/build_models.py --limit 30              # a quick trial on 30 pages per corpus
    python training/build_models.py --seeds-only            # the text model from the hand-labeled seeds alone
    python training/build_models.py --windows 2             # text model fitted on fragments of pages too
    python training/build_models.py --without fundus --output /tmp/strict/models --held-out /tmp/strict/held-out
                                                            # every choice made without a corpus (and its sites)

Deterministic: the same inputs give the same weights (single-threaded fits, fixed random_state, pages
and line samples chosen by hash, renderers assigned to pages round-robin), and the same on x86-64
machines with AVX2 and with AVX-512: the build runs itself again with OpenBLAS's and NumPy's AVX2
kernels where the CPU has faster ones (:func:`pinned_kernels`). The models record what
they were trained on, the versions used, and their leave-one-corpus-out figures. The held-out models
(one per corpus, trained without it) are written to bench/results/held-out/ for ``cleaner benchmark``.
Needs the ``bench`` extra (html-text and inscriptis render the pages the text model learns from).
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from cleaner.corpus.aligned import align_pages
from cleaner.corpus.build import HTML_SETTINGS, TEXT_SETTINGS, fit_corpus_models, training_sample, without_corpora
from cleaner.corpus.dataset import build_mode_data
from cleaner.corpus.pages import CORPORA, default_corpora_dir, iter_corpus_pages
from cleaner.features import TEXT_FEATURE_SETS, FeatureSettings
from cleaner.training import dataset_from_labeled, read_labeled_pages, train

HERE = Path(__file__).resolve().parent
SEEDS = HERE / "seeds"
MODELS = HERE.parent / "models"
RESULTS = HERE.parent / "bench" / "results"


# Set in the build's own process once its kernels are pinned.
PINNED_MARK = "CLEANER_BUILD_KERNELS_PINNED"

# NumPy's dispatch targets up to AVX2 (``X86_V3``: AVX2, FMA3 and kin), and their older names.
AVX2_TARGETS = ("X86_V2", "X86_V3", "SSE3", "SSSE3", "SSE41", "POPCNT", "SSE42", "AVX", "F16C", "FMA3", "AVX2")


def pinned_kernels() -> dict[str, str]:
    """The environment that makes OpenBLAS and NumPy use their AVX2 kernels on an x86-64 CPU that has
    faster ones (none elsewhere).

    The kernels round differently: on a CPU with AVX-512 the fitted weights differed from an AVX2
    machine's in their last digits (up to 0.2 on a weight of 3), and a near-tie of the held-out curve
    moved the text model's threshold from 0.5 to 0.475. With these kernels the AVX-512 machine wrote
    the AVX2 machine's text model byte for byte, at a quarter more time.
    """
    if platform.machine().lower() not in ("x86_64", "amd64"):
        return {}
    found = {"OPENBLAS_CORETYPE": "Haswell"}
    try:
        from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__
    except ImportError:  # NumPy 1.x
        from numpy.core._multiarray_umath import __cpu_dispatch__, __cpu_features__
    beyond = [target for target in __cpu_dispatch__ if target not in AVX2_TARGETS and __cpu_features__.get(target)]
    if beyond:
        found["NPY_DISABLE_CPU_FEATURES"] = " ".join(beyond)
    return found


def _trained_at() -> str:
    # SOURCE_DATE_EPOCH (reproducible-builds convention) pins the recorded date too.
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def main(
    corpora: Annotated[Path | None, typer.Option(help="Folder of the *.jsonl.gz corpora.")] = None,
    seeds_only: Annotated[bool, typer.Option(help="Train the text model on the seeds alone.")] = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Processes for aligning and fitting.")] = 2,
    limit: Annotated[int | None, typer.Option(help="Pages per corpus (for a quick trial).")] = None,
    output: Annotated[Path, typer.Option(help="Where to write text.json and html.json.")] = MODELS,
    held_out: Annotated[Path, typer.Option(help="Where to write the held-out models.")] = RESULTS / "held-out",
    cache: Annotated[Path, typer.Option(help="Where to cache the aligned pages.")] = RESULTS / "cache",
    windows: Annotated[
        int,
        typer.Option(
            help="Short windows of each corpus page fitted on as pages of their own by the text model "
            '(fragments; docs/benchmarks.md, "Fragments").'
        ),
    ] = 0,
    without: Annotated[
        list[str] | None,
        typer.Option(
            help="Leave this corpus out, and its sites' pages in the others (repeatable): every choice of "
            "the build is then made without it, and its models are written as its held-out ones too "
            "(and no other held-out models)."
        ),
    ] = None,
) -> None:
    """Rebuild the shipped models."""
    unknown = sorted(set(without or ()) - set(CORPORA))
    if unknown:
        known = ", ".join(CORPORA)
        raise typer.BadParameter(f"unknown corpus {', '.join(unknown)} (known: {known})", param_hint="--without")
    if without and output.resolve() == MODELS.resolve():
        shipped = "models built without a corpus are not the shipped ones: give --output"
        raise typer.BadParameter(shipped, param_hint="--without")
    seed_pages = read_labeled_pages([SEEDS])
    if seeds_only:
        data = dataset_from_labeled(seed_pages)
        model = train(data, FeatureSettings(TEXT_FEATURE_SETS), description="seeds only", trained_at=_trained_at())
        print(f"wrote {model.save(output / 'text.json')}")
        return
    started = time.perf_counter()
    root = corpora or default_corpora_dir()
    pages = training_sample(iter_corpus_pages(root), limit)
    if without:
        pages = without_corpora(pages, set(without))
    print(f"{len(pages)} pages from {root}; reading and aligning ({jobs} jobs)", flush=True)
    aligned = align_pages(pages, jobs=jobs, cache=cache)
    print(f"aligned ({time.perf_counter() - started:.0f} s)", flush=True)
    views = None  # the held-out text models, for the HTML models' text view
    for mode, settings in (("text", TEXT_SETTINGS), ("html", HTML_SETTINGS)):
        data = build_mode_data(aligned, mode, settings, seed_pages, windows=windows)
        print(f"{mode}: {len(data.prepared.y)} lines; dropped by alignment {dict(data.dropped)}")
        models = fit_corpus_models(
            data, settings, f"{mode} model: public corpora + hand-labeled seeds", _trained_at(), jobs=jobs, views=views
        )
        if mode == "text":
            views = models.held_out
        figures = models.figures["pages"]
        print(
            f"{mode}: leave-one-corpus-out page F1 (word 4-grams) {figures['f1']:.3f} "
            f"(precision {figures['precision']:.3f}, recall {figures['recall']:.3f}); "
            f"threshold {models.final.threshold:.3f}, smoothing {models.final.smoothing:.2f}",
            flush=True,
        )
        checked = models.figures.get("pages_with_page_check")
        if checked is not None:
            main = models.final.main_threshold
            main_note = f", main container's threshold {main:.2f}" if main is not None else ""
            print(f"{mode}: with the fallback and the page check{main_note}, page F1 {checked['f1']:.3f}", flush=True)
        for corpus, scores in models.figures["pages_by_corpus"].items():
            print(f"  {corpus}: F1 {scores['f1']:.3f} (P {scores['precision']:.3f} / R {scores['recall']:.3f})")
        # Left-out corpora get the build's own models as their held-out ones; its folds, each without
        # two corpora, are no corpus's.
        written = {corpus: models.final for corpus in without} if without else models.held_out
        for corpus, model in written.items():
            model.save(held_out / f"{mode}-{corpus}.json")
        print(f"wrote {models.final.save(output / f'{mode}.json')} ({time.perf_counter() - started:.0f} s)", flush=True)


if __name__ == "__main__":
    if os.environ.get(PINNED_MARK) is None:
        # The kernels are chosen when the libraries load: the build starts again with them pinned.
        environment = {**os.environ, **pinned_kernels(), PINNED_MARK: "1"}
        os.execve(sys.executable, [sys.executable, *sys.argv], environment)
    typer.run(main)

"""What each decision rule costs: the decide stage timed on corpus pages with the whole pipeline, then
with each part turned off in turn (the parts of ``ablation.py``), in one process, the passes taking
turns (best of five).

    python bench/rules/cost.py [--corpora ../shared/corpora] [--pages 200] [--rounds 5]

Each page is read, featurised and predicted once (shipped models, one BLAS thread); only
``pipeline.decide_batch`` is timed, a page at a time, with the page's title keys cached as the
features stage leaves them. A part's cost is the time the stage saves without it; the parts that run
before the decide stage (the text view, the second pass) are left out. Nothing here is a test: the
figures depend on the machine.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ablation import WHOLE, pipeline_parts, turned_off  # this folder's, on the path as a script's

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from speed import ROOT, load_pages  # noqa: E402

# The parts of ablation.py that the decide stage does not run.
BEFORE_DECIDE = frozenset({"without the text view", "without the second pass (both models)"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    from cleaner import Cleaner, Options, pipeline
    from cleaner.blas import one_blas_thread
    from cleaner.read.titles import page_keys
    from cleaner.records import PageBatch

    cleaner = Cleaner.load()
    options = Options(input_format="html")
    model = cleaner.models.for_html()
    parts = {name: patches for name, patches in pipeline_parts().items() if name not in BEFORE_DECIDE}
    with one_blas_thread():
        prepared = []
        for html in load_pages(args.corpora, args.pages):
            batch = PageBatch.of([cleaner.models.read(html.encode("utf-8", "surrogatepass"), options)])
            prepared.append((pipeline.label_probabilities(batch, model), batch))

        def run() -> float:
            spent = 0.0
            for probabilities, batch in prepared:
                # As the pipeline leaves it for the decide stage: the page's title keys cached by the
                # features stage just before (cycling through 200 pages, the cache would miss).
                for signals in batch.signals:
                    page_keys(signals)
                start = time.perf_counter()
                pipeline.decide_batch(probabilities, batch, model, options)
                spent += time.perf_counter() - start
            return spent / len(prepared) * 1000

        times: dict[str, list[float]] = {WHOLE: [], **{name: [] for name in parts}}
        for _ in range(args.rounds):
            times[WHOLE].append(run())
            for name, patches in parts.items():
                with turned_off(patches):
                    times[name].append(run())
    whole = min(times[WHOLE])
    print(f"decide stage of {WHOLE}: {whole:.3f} ms a page ({len(prepared)} pages, best of {args.rounds})")
    print("| part turned off | ms a page saved |\n|---|--:|")
    for name in parts:
        print(f"| {name} | {whole - min(times[name]):.3f} |")


if __name__ == "__main__":
    main()

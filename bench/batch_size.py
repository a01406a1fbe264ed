"""How the batch size of `Cleaner.clean_many` weighs on its speed, and that it leaves the outputs alone.

    python bench/batch_size.py [--corpora ../shared/corpora] [--pages 300] [--rounds 3] [--sizes 4M,512K,...]

The same corpus pages (rendered to text as `bench/speed.py` renders them, then as HTML) are cleaned by
`Cleaner.clean_many` with each batch size in turn (`BATCH_CHARS`, characters of text a batch: the
features' batches and `Cleaner.articles`' alike), the sizes taking turns in each of --rounds rounds;
prints the best time of each, in ms a page, and a hash of the outputs, beside the hash of the pages
cleaned one at a time (`Cleaner.clean`, `clean_html`). Nothing here is a test: the times depend on the
machine and on what else runs on it.
"""

from __future__ import annotations

import argparse
import hashlib
import time
from pathlib import Path

from speed import ROOT, load_pages, machine, render_pages

DEFAULT_SIZES = "4M,1M,512K,256K,128K,64K"


def parse_sizes(text: str) -> list[int]:
    """ "4M,512K" -> [4 MiB, 512 KiB] in characters."""
    units = {"K": 1024, "M": 1024 * 1024}
    sizes = []
    for part in text.split(","):
        unit = units.get(part[-1].upper(), 1)
        sizes.append(int(part[:-1] if unit > 1 else part) * unit)
    return sizes


def digest(outputs: list[str]) -> str:
    return hashlib.sha1("\x00".join(outputs).encode("utf-8", "surrogatepass")).hexdigest()[:12]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sizes", type=parse_sizes, default=parse_sizes(DEFAULT_SIZES))
    args = parser.parse_args()

    import cleaner.api as api
    import cleaner.features.registry as registry
    from cleaner import Cleaner, Options

    cleaner = Cleaner.load()
    html = load_pages(args.corpora, args.pages)
    print("\n".join(machine()))
    print(f"{len(html)} pages, best of {args.rounds} rounds, the sizes taking turns\n")
    print("| input | batch | ms a page | outputs |")
    print("|---|--:|--:|---|")
    original = api.BATCH_CHARS
    for mode in ("text", "html"):
        pages: list = render_pages(html) if mode == "text" else [page.encode("utf-8", "surrogatepass") for page in html]
        options = Options(input_format=mode)
        one = cleaner.clean if mode == "text" else cleaner.clean_html
        alone = digest([one(page, options) for page in pages])
        best: dict[int, float] = {}
        hashes: dict[int, str] = {}
        try:
            for _ in range(args.rounds):
                for size in args.sizes:
                    api.BATCH_CHARS = registry.BATCH_CHARS = size
                    started = time.perf_counter()
                    outputs = list(cleaner.clean_many(pages, options))
                    best[size] = min(best.get(size, float("inf")), time.perf_counter() - started)
                    hashes[size] = digest(outputs)
        finally:
            api.BATCH_CHARS = registry.BATCH_CHARS = original
        for size in args.sizes:
            same = "the same as one at a time" if hashes[size] == alone else f"DIFFER ({hashes[size]} vs {alone})"
            print(f"| {mode} | {size // 1024} KiB | {best[size] * 1000 / len(pages):.3f} | {same} |")


if __name__ == "__main__":
    main()

"""How fast cleaner is, on this machine: text MB/s, HTML pages/s, start-up, and cost against input size.

    python bench/speed.py [--corpora ../shared/corpora] [--pages N] [--max-size 1GB] [--profile]

1. Text mode: MB/s of the whole Cleaner.clean() (bytes in: decoding, lines, features, model, rendering,
   writing) on the corpora's pages rendered to text, on one core, of Cleaner.clean_many() on the same
   pages (one call; pages classified in batches), and the C4 line filter on the same pages (decoding
   and writing too), with our speed as a share of its speed; and the time of one Cleaner.clean() call
   on a three-line page (a small page's fixed cost).
2. HTML mode: pages/s of Cleaner.clean_html, trafilatura.extract (if installed) and a bare
   lxml.html.fromstring parse, on the same pages, as multiples of ours; and of Cleaner.clean_many on
   the same pages (one call). Where the compiled core is built, clean_html and the segmenter alone
   run on it and on the reference core (CLEANER_REFERENCE), in the same run, and one parse of each
   page into the compiled segmenter is timed both ways: by the compiled parse, and through lxml's
   parser target.
3. Start-up: `clean small.txt` as a subprocess, median of 5.
4. Scaling: time and peak RSS of `clean FILE` (a subprocess) for text files of 1 KB to --max-size,
   made by repeating corpus text; inputs over 4 MiB go through the streaming path.
5. Large HTML pages: time and peak RSS of `clean --input-format html FILE` on one page of
   --html-size made of the corpus pages' bodies, one after the other, and on one page of
   HTML_BLOCKS one-word blocks (what a block of text costs, whatever the page's size).

Each figure of 1 and 2 is the best of a few passes, the runners taking turns (a slow spell of this
shared machine then weighs on all of them, not on one). Nothing here is a test: the figures depend
on the machine (and on what else runs on it).
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import platform
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from speed_cores import compiled_core_runs, on_reference_core, parse_paths
from speed_process import human, large_html, many_blocks_html, parse_size, scaling, startup

ROOT = Path(__file__).resolve().parents[1]
# Section 5's page of one-word blocks (`word<br>` repeated): 4 MB of HTML.
HTML_BLOCKS = 500_000
# Section 1's small page, whose cost is the fixed cost of a call: a story's two lines and a prompt.
SMALL_PAGE = (
    "Le maire a annoncé lundi la fermeture de la piscine municipale pour travaux.\n"
    "Connectez-vous pour commenter\n"
    "Les travaux doivent durer six mois, selon la mairie, qui promet une réouverture à l'été.\n"
).encode()
SMALL_PAGE_CALLS = 2_000


# -- the machine -----------------------------------------------------------------------------------------


def cpu_name() -> str:
    """The CPU's model name (from /proc/cpuinfo where there is one)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> list[str]:
    import lxml.etree
    import numpy

    cpu = cpu_name()
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    lines = [
        f"CPU: {cpu}; {os.cpu_count()} cores ({usable} usable)"
        + (f"; load average {load[0]:.2f} (other work on the machine slows every figure)" if load else ""),
        f"Python {platform.python_version()} ({platform.python_implementation()}), numpy {numpy.__version__}, "
        f"lxml {'.'.join(map(str, lxml.etree.LXML_VERSION))}, {platform.system()} {platform.release()}",
    ]
    try:
        import trafilatura

        lines[-1] += f", trafilatura {trafilatura.__version__}"
    except ImportError:
        pass
    from cleaner.core import core_description

    lines.append(f"cleaner: {core_description()}")
    return lines


# -- pages -----------------------------------------------------------------------------------------------


def load_pages(corpora: Path, count: int) -> list[str]:
    """``count`` HTML pages taken in turn from each corpus file (*.jsonl.gz with an "html" field)."""
    files = sorted(corpora.glob("*.jsonl.gz"))
    if not files:
        raise SystemExit(f"no corpus (*.jsonl.gz) in {corpora}: pass --corpora")
    readers = [_htmls(path) for path in files]
    pages: list[str] = []
    while readers and len(pages) < count:
        for reader in list(readers):
            page = next(reader, None)
            if page is None:
                readers.remove(reader)
            elif len(pages) < count:
                pages.append(page)
    return pages


def _htmls(path: Path):
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                html = json.loads(line).get("html")
                if isinstance(html, str) and html.strip():
                    yield html


def render_pages(pages: list[str]) -> list[bytes]:
    """The pages as plain text, as a text dump of them would look (untimed)."""
    from cleaner.read import segment_html
    from cleaner.render import render_text

    texts = []
    for html in pages:
        try:
            text = render_text(segment_html(html))
        except Exception:  # noqa: BLE001 -- a page the segmenter refuses is left out
            continue
        if text.strip():
            texts.append(text.encode("utf-8"))
    return texts


# -- 1. text mode ----------------------------------------------------------------------------------------


def best_times(runners: dict[str, tuple[Callable[[Any], None], list[Any]]], rounds: int) -> dict[str, float]:
    """Best wall time of each runner's pass over its items, in ``rounds`` rounds taking the runners in
    turn: a slow spell of this shared machine then weighs on all of them, not on one."""
    best = dict.fromkeys(runners, float("inf"))
    for _ in range(rounds):
        for name, (function, items) in runners.items():
            start = time.perf_counter()
            for item in items:
                function(item)
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def text_mode(texts: list[bytes]) -> list[tuple[str, str, str]]:
    from threadpoolctl import threadpool_limits

    from cleaner import Cleaner, Options
    from cleaner.corpus.competitors import c4_rule
    from cleaner.read.decode import decode_text

    cleaner = Cleaner.load()
    options = Options(input_format="text")
    sink = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    megabytes = sum(map(len, texts)) / 1e6

    def ours(data: bytes) -> None:
        sink.write(cleaner.clean(data, options))

    def ours_batched(all_pages: list[bytes]) -> None:
        for text in cleaner.clean_many(all_pages, options):
            sink.write(text)

    def c4(data: bytes) -> None:
        sink.write(c4_rule(decode_text(data).text))

    for data in texts[:5]:
        ours(data)
    runners = {"clean": (ours, texts), "many": (ours_batched, [texts]), "c4": (c4, texts)}
    # A small page's fixed cost: one three-line page, cleaned SMALL_PAGE_CALLS times a pass.
    small = [SMALL_PAGE] * SMALL_PAGE_CALLS
    for data in small[: SMALL_PAGE_CALLS // 10]:
        ours(data)
    runners["small"] = (ours, small)
    if compiled_core_runs():
        runners["reference"] = (on_reference_core(ours), texts)
    with threadpool_limits(limits=1):
        times = best_times(runners, rounds=5)
    ours_time, batched_time, c4_time = times["clean"], times["many"], times["c4"]
    sink.close()
    reference = []
    if "reference" in times:
        reference_time = times["reference"]
        reference = [
            (
                "cleaner Cleaner.clean, reference core",
                f"{megabytes / reference_time:.2f} MB/s",
                f"{len(texts) / reference_time:.0f} pages/s",
            )
        ]
    return [
        ("cleaner Cleaner.clean", f"{megabytes / ours_time:.2f} MB/s", f"{len(texts) / ours_time:.0f} pages/s"),
        *reference,
        (
            "cleaner Cleaner.clean_many",
            f"{megabytes / batched_time:.2f} MB/s",
            f"{len(texts) / batched_time:.0f} pages/s (the same pages in one call: classified in batches)",
        ),
        (
            "cleaner Cleaner.clean, a three-line page",
            f"{1000 * times['small'] / SMALL_PAGE_CALLS:.3f} ms a call",
            f"(a small page's fixed cost: {SMALL_PAGE_CALLS} calls a pass)",
        ),
        (
            "C4 line filter",
            f"{megabytes / c4_time:.1f} MB/s",
            f"Cleaner.clean runs at {c4_time / ours_time:.1%} of its speed ({ours_time / c4_time:.0f}x slower), "
            f"clean_many at {c4_time / batched_time:.1%}",
        ),
    ]


# -- 2. HTML mode ----------------------------------------------------------------------------------------


def html_mode(pages: list[str]) -> list[tuple[str, str, str]]:
    import lxml.html
    from threadpoolctl import threadpool_info, threadpool_limits

    from cleaner import Cleaner, Options
    from cleaner.read.parse import segment

    cleaner = Cleaner.load()
    data = [page.encode("utf-8") for page in pages]
    no_view = "cleaner clean_html, without the text view"
    runners = {
        "cleaner clean_html": cleaner.clean_html,
        # The HTML model alone: what the text view (cleaner/model/text_view.py) costs.
        no_view: Cleaner(None, cleaner.html_model).clean_html,
        "lxml.html.fromstring (parse only)": lxml.html.fromstring,
    }
    # The compiled core against the reference, in the same run: the whole of clean_html, and the
    # segmenter alone (parse included).
    if compiled_core_runs():
        runners["cleaner clean_html, reference core"] = on_reference_core(cleaner.clean_html)
        runners["cleaner segmenter (parse included), compiled"] = segment
        runners["cleaner segmenter (parse included), reference"] = on_reference_core(segment)
        runners.update(parse_paths())
    html = Options(input_format="html")
    try:
        import trafilatura

        runners["trafilatura.extract"] = trafilatura.extract
    except ImportError:
        pass
    failed: dict[str, set[int]] = {name: set() for name in runners}

    def runner(name: str) -> Callable[[tuple[int, bytes]], None]:
        function = runners[name]

        def run(item: tuple[int, bytes]) -> None:
            try:
                function(item[1])
            except Exception:  # noqa: BLE001 -- counted, as an extractor that gives up on a page
                failed[name].add(item[0])

        return run

    def batched(all_pages: list[bytes]) -> None:
        for _ in cleaner.clean_many(all_pages, html):
            pass

    items = list(enumerate(data))
    # A library caller that never heard of BLAS threads: the prediction limits them itself. Its pass
    # lifts the one-thread limit the other runners run under, and takes its turn among them (timed
    # last and alone, a slow spell of the machine fell on it alone: 0.75 times one run, 1.01 the next).
    untouched = "cleaner clean_html, BLAS threads untouched"
    clean_html = runner("cleaner clean_html")
    defaults = threadpool_info()  # the thread counts a caller gets without setting any

    def with_default_threads(all_items: list[tuple[int, bytes]]) -> None:
        with threadpool_limits(limits=defaults):
            for item in all_items:
                clean_html(item)

    with threadpool_limits(limits=1):
        for name in runners:  # warm-up
            for item in items[:3]:
                runner(name)(item)
        timed = {
            "cleaner clean_html": (clean_html, items),
            "cleaner Cleaner.clean_many": (batched, [data]),
        }
        timed.update({name: (runner(name), items) for name in runners if name not in timed})
        timed[untouched] = (with_default_threads, [items])
        # Four rounds: two left the compiled and reference cores' clean_html within this machine's
        # drift of each other (and in either order).
        times = best_times(timed, rounds=4)
    ours = times["cleaner clean_html"]
    out = []
    for name, seconds in times.items():
        if name == "cleaner Cleaner.clean_many":
            ratio = "the same pages in one call: classified in batches"
        elif name == untouched:
            ratio = f"{ours / seconds:.2f}x the speed with one BLAS thread set by the caller"
        elif name == no_view:
            ratio = f"clean_html (with the view) takes {ours / seconds:.2f}x its time"
        elif name.endswith("lxml's parser target"):
            parse = times["cleaner segmenter, one parse: compiled parse"]
            ratio = f"the compiled parse takes {parse / seconds:.2f}x its time"
        else:
            ratio = "" if name.startswith("cleaner") else f"{ours / seconds:.2f}x cleaner's speed"
        note = f" ({len(failed[name])} pages failed)" if failed.get(name) else ""
        out.append((name, f"{len(data) / seconds:.1f} pages/s{note}", ratio))
    return out


# -- profile ---------------------------------------------------------------------------------------------


def profile(texts: list[bytes], top: int = 25) -> None:
    from cleaner import Cleaner, Options

    cleaner = Cleaner.load()
    options = Options(input_format="text")
    try:
        from pyinstrument import Profiler
    except ImportError:
        Profiler = None
    if Profiler is not None:
        profiler = Profiler()
        profiler.start()
        for data in texts:
            cleaner.clean(data, options)
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
        return
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for data in texts:
        cleaner.clean(data, options)
    profiler.disable()
    for order in ("tottime", "cumulative"):
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).strip_dirs().sort_stats(order).print_stats(top)
        print(f"-- cProfile, top {top} by {order} --")
        print("\n".join(line for line in stream.getvalue().splitlines() if line.strip()), flush=True)


# -- main ------------------------------------------------------------------------------------------------


def table(title: str, rows: list[tuple[str, ...]]) -> None:
    print(f"\n{title}")
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora", help="folder of *.jsonl.gz")
    parser.add_argument("--pages", type=int, default=300, help="pages taken from the corpora (in turn)")
    parser.add_argument(
        "--max-size", type=parse_size, default=parse_size("1GB"), help="largest input of the scaling run"
    )
    parser.add_argument("--profile", action="store_true", help="profile the text path and print the top functions")
    parser.add_argument("--html-size", type=parse_size, default=parse_size("50MB"), help="size of the large HTML page")
    parser.add_argument(
        "--skip", action="append", default=[], choices=["text", "html", "startup", "scaling", "large-html"]
    )
    args = parser.parse_args()

    print("cleaner speed")
    for line in machine():
        print("  " + line)
    pages = load_pages(args.corpora, args.pages)
    texts = render_pages(pages)
    megabytes = sum(map(len, texts)) / 1e6
    print(
        f"  pages: {len(pages)} HTML pages from {args.corpora} ({sum(map(len, pages)) / 1e6:.1f} MB), "
        f"{len(texts)} as text ({megabytes:.1f} MB)",
        flush=True,
    )
    if args.profile:
        profile(texts)
        return
    if "text" not in args.skip:
        table("1. text mode, one core (bytes in, cleaned text out)", text_mode(texts))
    if "html" not in args.skip:
        table("2. HTML mode, one core", html_mode(pages))
    with tempfile.TemporaryDirectory(prefix="cleaner-speed-") as folder:
        if "startup" not in args.skip:
            median, times = startup(Path(folder))
            table(
                "3. start-up",
                [("clean small.txt", f"{median:.3f} s median of 5", "(" + ", ".join(f"{t:.2f}" for t in times) + ")")],
            )
        if "scaling" not in args.skip:
            print(f"\n4. scaling: `clean --input-format text FILE`, a subprocess (up to {human(args.max_size)})")
            print("  " + "  ".join(f"{h:>12}" for h in ("input", "time", "speed", "peak RSS", "path")), flush=True)
            rows = scaling(Path(folder), texts, args.max_size)
            large = [row for row in rows if row[-1].startswith("stream")]
            if len(large) >= 2:
                print(
                    f"  streamed inputs: {large[0][2]} at {large[0][0]} .. {large[-1][2]} at {large[-1][0]}: "
                    "time grows linearly with size, memory stays bounded"
                )
        if "large-html" not in args.skip:
            table(
                "5. large HTML pages: `clean --input-format html FILE`, a subprocess",
                [large_html(Path(folder), pages, args.html_size), many_blocks_html(Path(folder), HTML_BLOCKS)],
            )


if __name__ == "__main__":
    main()

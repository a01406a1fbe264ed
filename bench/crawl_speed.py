"""How fast crawl files are cleaned, on this machine: pages/s and MB/s of `clean FILE.warc.gz` on one
core and with --jobs 2, and of the Spark job on local[2]; peak memory as the file grows; and what
reading the WARC costs next to cleaning its pages.

    python bench/crawl_speed.py [--sizes 10MB,50MB,100MB] [--corpora ../shared/corpora] [--no-spark]

1. A WARC file is written with warcio (gzip per record, a request and a response per page, as Common
   Crawl writes them) from the pages of the public corpora, taken in turn (again under other URLs once
   all are used) until the file is as large as the largest size; the smaller files are its first
   records (cut at a gzip member). Everything lives in a temporary folder, removed at the end.
2. `clean FILE -o /dev/null`-like runs (stdout to /dev/null), each in a helper process that reports its
   wall time and the peak RSS of the largest process it waited for: --jobs 1 for each size (memory
   should stay flat: records are read one at a time, a few MB of pages in flight), --jobs 2 on the
   largest.
3. `python -m cleaner.spark --master local[2]` on the largest file's records cut in two files (the job
   spreads files over its tasks, not the records of a file), and on a one-page file (Spark's fixed
   cost: starting the JVM and the Python workers).
4. In this process, on the smallest file: the time per page of reading only (``iter_records``) and of
   reading and cleaning (``iter_cleaned``).

Prints Markdown tables. MB are of the file as stored (gzip-compressed); the HTML they hold is about
four times larger. The figures depend on the machine and on what else runs on it: the load average is
printed, and the CPU time (user and system, of every process the run waited for) says what the work
cost whatever else competed for the cores.
"""

from __future__ import annotations

import argparse
import gzip
import io
import itertools
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from speed import cpu_name  # noqa: E402  (bench/speed.py: this script's folder is first on sys.path)

CORPORA = ROOT.parent / "shared" / "corpora"
DEFAULT_SIZES = "10MB,50MB,100MB"
UNITS = {"KB": 10**3, "MB": 10**6, "GB": 10**9}
CLEAN = [sys.executable, "-c", "from cleaner.cli import clean_main; clean_main()"]
SPARK = [sys.executable, "-m", "cleaner.spark"]
# A helper process runs each measured command: its peak RSS is then the command's alone (the largest
# of the processes it started, for --jobs 2 and Spark), and its time includes start-up.
_MEASURE = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
    "sys.stderr.buffer.write(done.stderr)\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(time.perf_counter() - start, usage.ru_maxrss, usage.ru_utime + usage.ru_stime, done.returncode)\n"
)
_PAGES = re.compile(r"cleaned (\d+) pages?")


def parse_size(text: str) -> int:
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(KB|MB|GB)\s*", text.upper())
    if not match:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 50MB)")
    return int(float(match.group(1)) * UNITS[match.group(2)])


# -- the WARC files ---------------------------------------------------------------------------------


def corpus_pages(folder: Path) -> Iterator[tuple[str, bytes]]:
    """(url, html bytes) of every page of every corpus, in turn."""
    for path in sorted(folder.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            for line in lines:
                page = json.loads(line)
                try:
                    body = page["html"].encode("utf-8")
                except UnicodeEncodeError:  # a lone surrogate: not a page a server could send
                    continue
                yield f"http://{path.name.split('.')[0]}.example/{page['id']}", body


def write_warc(path: Path, folder: Path, size: int) -> tuple[list[int], list[int]]:
    """A WARC of at least ``size`` bytes; the offsets after each page's records (where a file cut
    short stays whole), and how many pages come before each."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    ends, counts = [], []
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True, warc_version="1.1")
        for copy in itertools.count():
            for number, (url, body) in enumerate(corpus_pages(folder)):
                url = f"{url}?copy={copy}" if copy else url
                host = url.split("/")[2]
                request = StatusAndHeaders("GET / HTTP/1.1", [("Host", host)], is_http_request=True)
                writer.write_record(writer.create_warc_record(url, "request", http_headers=request))
                headers = StatusAndHeaders(
                    "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
                )
                record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers)
                writer.write_record(record)
                ends.append(out.tell())
                counts.append(len(ends))
                if out.tell() >= size:
                    return ends, counts
            if copy > 20:
                raise SystemExit(f"the corpora in {folder} are too small for {size} bytes")
    return ends, counts


def cut(source: Path, target: Path, start: int, end: int) -> None:
    with open(source, "rb") as data, open(target, "wb") as out:
        data.seek(start)
        remaining = end - start
        while remaining:
            chunk = data.read(min(remaining, 1 << 20))
            out.write(chunk)
            remaining -= len(chunk)


def prefix_at(ends: list[int], size: int) -> int:
    """The index of the first page end at or past ``size``."""
    return next((i for i, end in enumerate(ends) if end >= size), len(ends) - 1)


# -- measuring -----------------------------------------------------------------------------------------


def measure(command: list[str], env: dict[str, str]) -> tuple[float, float, float, str]:
    """Seconds, peak RSS in MB, CPU seconds (of every process it waited for), and stderr of ``command``
    (which must succeed)."""
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command], capture_output=True, text=True, env=env, cwd=ROOT, check=False
    )
    seconds, rss_kb, cpu, code = done.stdout.split()
    if int(code) != 0:
        raise SystemExit(f"{' '.join(command)} failed ({code}):\n{done.stderr[-3000:]}")
    return float(seconds), int(rss_kb) / 1024, float(cpu), done.stderr


def read_and_clean(path: Path) -> tuple[int, float, float]:
    """Pages, seconds per page reading only, and reading and cleaning (one thread, here)."""
    from threadpoolctl import threadpool_limits

    from cleaner.crawl import default_cleaner, iter_cleaned, iter_records

    threadpool_limits(limits=1, user_api="blas")  # as the command line runs
    default_cleaner()  # the model loaded before the clock starts
    started = time.perf_counter()
    pages = sum(1 for item in iter_records(path) if item.is_page)
    read = time.perf_counter() - started
    started = time.perf_counter()
    cleaned = sum(1 for _ in iter_cleaned(path))
    both = time.perf_counter() - started
    assert cleaned == pages
    return pages, read / pages, both / pages


def machine() -> str:
    return f"{os.cpu_count()} cores ({cpu_name()}), Python {platform.python_version()}, load average {_load()}"


def _load() -> str:
    """The 1-minute load average: other work on the machine slows every figure down."""
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="file sizes, as stored (default: %(default)s)")
    parser.add_argument("--corpora", type=Path, default=CORPORA, help="the corpora folder (default: %(default)s)")
    parser.add_argument("--no-spark", action="store_true", help="skip the Spark job")
    args = parser.parse_args(argv)
    sizes = sorted(parse_size(size) for size in args.sizes.split(","))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYSPARK_PYTHON": sys.executable, "SPARK_LOCAL_IP": "127.0.0.1"}
    print(f"Machine: {machine()}. `python bench/crawl_speed.py --sizes {args.sizes}`\n")
    with tempfile.TemporaryDirectory(prefix="crawl-speed-") as temp:
        folder = Path(temp)
        largest = folder / "crawl.warc.gz"
        started = time.perf_counter()
        ends, counts = write_warc(largest, args.corpora, sizes[-1])
        took = time.perf_counter() - started
        print(f"Wrote {largest.stat().st_size / 1e6:.1f} MB ({counts[-1]} pages) in {took:.0f} s.\n")
        files = {}
        for size in sizes:
            index = prefix_at(ends, size)
            path = folder / f"crawl-{size // 10**6}MB.warc.gz"
            if index == len(ends) - 1:
                path = largest
            else:
                cut(largest, path, 0, ends[index])
            files[size] = (path, counts[index])

        rows = [
            "| run | file | pages | time | CPU time | pages/s | MB/s | peak RSS |",
            "|---|---|---|---|---|---|---|---|",
        ]

        def run(label: str, command: list[str], path: Path, pages: int, rss: bool = True) -> None:
            seconds, peak, cpu, stderr = measure(command, env)
            found = _PAGES.search(stderr)
            if found and int(found.group(1)) != pages:
                raise SystemExit(f"{label}: {found.group(1)} pages cleaned, {pages} expected")
            paths = [path] if path.is_file() else sorted(path.iterdir())
            megabytes = sum(p.stat().st_size for p in paths) / 1e6
            # Spark's JVM is not a process the helper waits for: its memory and CPU time are not measured.
            memory, used = (f"{peak:.0f} MB", f"{cpu:.1f} s") if rss else ("n/a", "n/a")
            rows.append(
                f"| {label} | {megabytes:.1f} MB | {pages} | {seconds:.1f} s | {used} | {pages / seconds:.1f} | "
                f"{megabytes / seconds:.2f} | {memory} |"
            )
            print(rows[-1], file=sys.stderr, flush=True)

        for size in sizes:
            path, pages = files[size]
            run("`clean --jobs 1`", [*CLEAN, str(path), "--jobs", "1"], path, pages)
        path, pages = files[sizes[-1]]
        run("`clean --jobs 2`", [*CLEAN, str(path), "--jobs", "2"], path, pages)
        if not args.no_spark and shutil.which("java"):
            halves = folder / "halves"
            halves.mkdir()
            middle = prefix_at(ends, ends[-1] // 2)
            cut(largest, halves / "a.warc.gz", 0, ends[middle])
            cut(largest, halves / "b.warc.gz", ends[middle], ends[-1])
            tiny = folder / "tiny"
            tiny.mkdir()
            cut(largest, tiny / "one.warc.gz", 0, ends[0])
            spark = [*SPARK, "--master", "local[2]", "--conf", "spark.ui.enabled=false"]
            run(
                "Spark `local[2]`, 1 page (its fixed cost)",
                [*spark, str(tiny), "-o", str(folder / "1")],
                tiny,
                1,
                False,
            )
            run("Spark `local[2]`, 2 files", [*spark, str(halves), "-o", str(folder / "2")], halves, counts[-1], False)
        print("\n".join(rows))
        print(f"\nLoad average at the end: {_load()}.")
        path, _ = files[sizes[0]]
        pages, read, both = read_and_clean(path)
        print(f"\nReading vs cleaning, one thread, on {path.stat().st_size / 1e6:.1f} MB ({pages} pages):\n")
        print("| step | ms per page | share |\n|---|---|---|")
        reading = "read only (`iter_records`: gunzip, WARC and HTTP parsing, decoding)"
        print(f"| {reading} | {read * 1e3:.2f} | {read / both:.1%} |")
        print(f"| read + clean (`iter_cleaned`) | {both * 1e3:.2f} | 100% |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The whole-process sections of ``bench/speed.py``: the start-up of ``clean small.txt``, the time
and peak RSS of ``clean FILE`` against the input's size, and of one large HTML page. Each command
runs as a subprocess of a helper process, so that the peak RSS measured is the command's alone."""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

SIZES = ["1KB", "10KB", "100KB", "1MB", "10MB", "100MB", "1GB"]
UNITS = {"B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "KIB": 2**10, "MIB": 2**20, "GIB": 2**30}
# A helper process runs each measured command, so that its peak RSS is the command's alone.
_MEASURE = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "with open(sys.argv[1], 'wb') as out:\n"
    "    code = subprocess.run(sys.argv[2:], stdout=out, stderr=subprocess.PIPE).returncode\n"
    "print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)\n"
)


def parse_size(text: str) -> int:
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMG]?I?B)?\s*", text.upper())
    if not match:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 100MB, 1GB)")
    return int(float(match.group(1)) * UNITS[match.group(2) or "B"])


def human(size: float) -> str:
    for unit, factor in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if size >= factor:
            return f"{size / factor:g} {unit}"
    return f"{size:g} B"


# -- 3. start-up -----------------------------------------------------------------------------------------


def clean_command() -> list[str]:
    script = Path(sys.executable).with_name("clean")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from cleaner.cli import clean_main; clean_main()"]


def startup(folder: Path, runs: int = 5) -> tuple[float, list[float]]:
    small = folder / "small.txt"
    small.write_text(
        "Accueil | Actualités | Sport\n\nUn premier paragraphe, assez long pour être un vrai texte d'article.\n",
        encoding="utf-8",
    )
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([*clean_command(), str(small)], stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


# -- 4. scaling ------------------------------------------------------------------------------------------


def make_file(path: Path, size: int, texts: list[bytes]) -> None:
    """``size`` bytes of corpus text (whole lines), pages separated by blank lines."""
    block = b"\n\n".join(texts) + b"\n\n"
    with open(path, "wb") as out:
        written = 0
        while written < size:
            piece = block[: size - written]
            if len(piece) < len(block):
                cut = piece.rfind(b"\n")
                piece = piece[: cut + 1] if cut >= 0 else piece
                if not piece:
                    break
            out.write(piece)
            written += len(piece)


def scaling(folder: Path, texts: list[bytes], max_size: int) -> list[tuple[str, ...]]:
    rows = []
    for label in SIZES:
        size = parse_size(label)
        if size > max_size:
            break
        path = folder / f"input-{label}.txt"
        make_file(path, size, texts)
        actual = path.stat().st_size
        command = [*clean_command(), "--input-format", "text", str(path)]
        result = subprocess.run(
            [sys.executable, "-c", _MEASURE, os.devnull, *command], capture_output=True, text=True, check=True
        )
        seconds, peak_kb, code = result.stdout.split()
        path.unlink()
        seconds = float(seconds)
        path_taken = "stream" if actual > 4 * 2**20 else "one page"
        rows.append(
            (
                human(actual),
                f"{seconds:.2f} s",
                f"{actual / 1e6 / seconds:.2f} MB/s",
                f"{int(peak_kb) / 1024:.0f} MB",
                path_taken + ("" if code == "0" else f", exit {code}"),
            )
        )
        print("  " + "  ".join(f"{cell:>12}" for cell in rows[-1]), flush=True)
    return rows


# -- 5. a large HTML page ---------------------------------------------------------------------------------


def large_html(folder: Path, pages: list[str], size: int) -> tuple[str, ...]:
    """One page of ``size`` bytes made of the corpus pages' bodies, one after the other."""
    bodies = []
    for page in pages:
        match = re.search(r"<body[^>]*>(.*)</body>", page, re.DOTALL | re.IGNORECASE)
        bodies.append(match.group(1) if match else page)
    block = "\n".join(bodies).encode("utf-8", errors="replace")
    path = folder / "large.html"
    with open(path, "wb") as out:
        out.write(b"<html><head><meta charset='utf-8'><title>large</title></head><body>\n")
        written = 0
        while written < size:
            piece = block[: size - written]
            out.write(piece)
            written += len(piece)
        out.write(b"</body></html>\n")
    return _clean_html_file(path, "corpus bodies")


def many_blocks_html(folder: Path, blocks: int) -> tuple[str, ...]:
    """One page of ``blocks`` one-word lines (``word<br>``): what an HTML page costs a block of text."""
    path = folder / "blocks.html"
    with open(path, "wb") as out:
        out.write(b"<html><head><meta charset='utf-8'><title>blocks</title></head><body><p>")
        out.write(b"word<br>" * blocks)
        out.write(b"</p></body></html>\n")
    return _clean_html_file(path, f"{blocks:,} one-word blocks")


def _clean_html_file(path: Path, what: str) -> tuple[str, ...]:
    """Time and peak RSS of ``clean --input-format html`` on ``path`` (removed afterwards)."""
    command = [*clean_command(), "--input-format", "html", str(path)]
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE, os.devnull, *command], capture_output=True, text=True, check=True
    )
    seconds, peak_kb, code = result.stdout.split()
    actual = path.stat().st_size
    path.unlink()
    return (
        human(actual),
        what,
        f"{float(seconds):.1f} s",
        f"peak RSS {int(peak_kb) / 1024:.0f} MB ({int(peak_kb) * 1024 / actual:.1f} times the page)",
        "" if code == "0" else f"exit {code}",
    )

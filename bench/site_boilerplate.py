"""What dropping the lines a site repeats (``clean --site-boilerplate``) does on the msv corpus.

    python bench/site_boilerplate.py [--corpus ../shared/corpora/msv.jsonl.gz] [--jobs 2]

msv holds nine news sites over four years ("Big9": ``big5-YY__*`` pages, ten or so per site and
year) and 250 pages of about 200 other sites ("Chaos"). Its ``url`` fields name the first resource
the archived page loads (a favicon, an ad server), not the page, so each page's site is found here
from the hosts its links name (Big9: a table of each site's hosts; Chaos: the page's canonical URL,
else the page alone). The pages go to ``clean`` as JSON Lines with a ``url`` whose host is:

* ``site-year``: the site and the year of the capture, as one crawl sees a site (one template);
* ``site``: the site, its four years together (a template is then on a quarter of the pages at most).

Each page's kept text is scored against its gold text with the ScrapingHub metric
(``cleaner.corpus.scoring``: precision and recall per page averaged, F1 of the averages), without
and with ``--site-boilerplate``. Prints a Markdown table: F1 (precision/recall) per site.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cleaner.corpus.scoring import Scores, aggregate, page_scores  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpora" / "msv.jsonl.gz"
CLEAN = [sys.executable, "-c", "from cleaner.cli import clean_main; clean_main()"]
# The Big9 sites and the hosts their pages link to (their own, their image and script servers).
SITES = {
    "arstechnica": ("arstechnica.com", "arstechnica.net", "arstechnica.co.uk"),
    "bbc": ("bbc.co.uk", "bbcimg.co.uk", "bbc.com"),
    "cnn": ("cnn.com", "cnn.net", "turner.com"),
    "forbes": ("forbes.com", "forbesimg.com"),
    "foxnews": ("foxnews.com", "fncstatic.com", "foxbusiness.com"),
    "latimes": ("latimes.com", "trbimg.com", "trbas.com"),
    "nymag": ("nymag.com", "newyorkmetro.com", "vulture.com", "grubstreet.com", "thecut.com"),
    "nypost": ("nypost.com", "nypost.wordpress.com", "thenypost.wordpress.com"),
    "yahoo": ("yahoo.com", "yimg.com"),
}
_HOST = re.compile(r"(?:https?:)?//([a-z0-9.-]+\.[a-z]{2,})", re.IGNORECASE)
_CANONICAL = re.compile(
    r"<(?:link[^>]*rel=[\"']?canonical[^>]*href|meta[^>]*property=[\"']?og:url[^>]*content)=[\"']?"
    r"(?:https?://(?:web\.|web-beta\.)?archive\.org/web/[^/]+/)?https?://([^/\"' >:]+)",
    re.IGNORECASE,
)
CHAOS = "Chaos (other sites)"


def big9_site(html: str) -> str | None:
    """The Big9 site whose hosts the page's links name most often."""
    votes: Counter[str] = Counter()
    for host in _HOST.findall(html):
        host = host.lower()
        for site, hosts in SITES.items():
            if any(host == known or host.endswith("." + known) for known in hosts):
                votes[site] += 1
    return votes.most_common(1)[0][0] if votes else None


def chaos_site(page_id: str, html: str) -> str:
    found = _CANONICAL.search(html)
    host = found.group(1).lower() if found else ""
    return host.removeprefix("www.") or page_id.replace("_", "-").replace("__", "-")


def load(path: Path) -> list[dict]:
    """The pages, each with ``site`` (the row of the table) and the hosts of both groupings."""
    pages = []
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            page = json.loads(line)
            if page["id"].startswith("big5-"):
                site = big9_site(page["html"]) or "unknown"
                year = "20" + page["id"][5:7]
                page.update(site=site, by_year=f"{year}.{site}.example", by_site=f"{site}.example")
            else:
                host = chaos_site(page["id"], page["html"]).lower()
                host = re.sub(r"[^a-z0-9.-]", "-", host)
                page.update(site=CHAOS, by_year=f"{host}.example", by_site=f"{host}.example")
            pages.append(page)
    return pages


def run_clean(pages: list[dict], host_key: str | None, jobs: int, folder: Path) -> tuple[list[str], float, str]:
    """The cleaned text of each page by ``clean`` (with --site-boilerplate when ``host_key`` names the
    grouping), the seconds it took, and its summary."""
    source = folder / f"pages-{host_key or 'plain'}.jsonl"
    with open(source, "w", encoding="utf-8") as out:
        for page in pages:
            url = f"http://{page[host_key]}/{page['id']}" if host_key else None
            out.write(json.dumps({"id": page["id"], "url": url, "html": page["html"]}) + "\n")
    target = folder / f"out-{host_key or 'plain'}.jsonl"
    command = [*CLEAN, str(source), "--jsonl-field", "html", "-o", str(target), "--jobs", str(jobs)]
    if host_key:
        command.append("--site-boilerplate")
    started = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"clean failed ({done.returncode}):\n{done.stderr}")
    with open(target, encoding="utf-8") as lines:
        texts = {record["id"]: record["html"] for record in map(json.loads, lines)}
    return [texts[page["id"]] for page in pages], seconds, done.stderr.strip()


def cell(scores: Scores) -> str:
    return f"{scores.f1:.3f} ({scores.precision:.3f}/{scores.recall:.3f})"


def table(pages: list[dict], runs: dict[str, list[str]]) -> str:
    by_site: dict[str, list[int]] = defaultdict(list)
    for index, page in enumerate(pages):
        by_site[page["site"]].append(index)
    scores = {
        name: [page_scores(text, page["gold"]) for text, page in zip(texts, pages)] for name, texts in runs.items()
    }
    names = list(runs)
    rows = ["| site | pages | " + " | ".join(names) + " | Δ F1 (site-year) |", "|---|---|" + "---|" * (len(names) + 1)]

    def row(label: str, indexes: list[int]) -> str:
        results = {name: aggregate(scores[name][i] for i in indexes) for name in names}
        delta = results[names[1]].f1 - results[names[0]].f1
        return f"| {label} | {len(indexes)} | " + " | ".join(cell(results[n]) for n in names) + f" | {delta:+.4f} |"

    big9 = [i for i, page in enumerate(pages) if page["site"] != CHAOS]
    for site in sorted(by_site, key=lambda s: (s == CHAOS, s)):
        if site != CHAOS:
            rows.append(row(site, by_site[site]))
    rows.append(row("**Big9**", big9))
    rows.append(row(CHAOS, by_site[CHAOS]))
    rows.append(row("**all msv**", list(range(len(pages)))))
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="msv.jsonl.gz (default: %(default)s)")
    parser.add_argument("--jobs", type=int, default=2, help="clean's --jobs (default: %(default)s)")
    args = parser.parse_args(argv)
    pages = load(args.corpus)
    runs: dict[str, list[str]] = {}
    notes = []
    with tempfile.TemporaryDirectory(prefix="site-bench-") as folder:
        for name, key in (("without", None), ("site-year", "by_year"), ("site, all years", "by_site")):
            texts, seconds, summary = run_clean(pages, key, args.jobs, Path(folder))
            runs[name] = texts
            site_line = next((line for line in summary.splitlines() if line.startswith("site boilerplate")), "")
            notes.append(f"- {name}: {seconds:.1f} s. {site_line}")
    print(f"msv: {len(pages)} pages; F1 (precision/recall), ScrapingHub shingle metric; `clean --jobs {args.jobs}`\n")
    print(table(pages, runs))
    print()
    print("\n".join(notes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Site boilerplate in a batch (``--site-boilerplate``, :mod:`cleaner.site`): pass 1 counts the lines of
every page per host (in the tasks, each giving back its counts, merged in input order: the same counts
whatever ``--jobs``); pass 2 cleans, dropping the lines each host repeats, read from a file that pass 1
saved (loaded once per process).

The host of a page: for a crawl file, its WARC-Target-URI's; for JSON Lines, the host of the record's
``url`` field, else the JSON Lines file (its path as given); for a file, the folder it is in.
"""

from __future__ import annotations

import json
import os
import pickle
from functools import lru_cache
from pathlib import Path
from typing import Any

from cleaner.api import Cleaner
from cleaner.cli.batch.job import FileTask, Job, Outcome, RecordsTask, load_cleaner
from cleaner.errors import CleanerError
from cleaner.files import read_input
from cleaner.results import Page
from cleaner.site import SiteBoilerplate, SiteCounts, site_host

# The field of a JSON Lines record that names its page's address.
URL_FIELD = "url"
TABLE_NAME = "site-boilerplate.pickle"


def file_host(display: str) -> str:
    """The host of a file's page: the folder it is in, as given (``.`` for the current folder)."""
    return os.path.dirname(display) or "."


def record_host(record: dict[str, Any], display: str) -> str:
    """The host of a JSON Lines record's page: its ``url`` field's, else the file ``display``."""
    url = record.get(URL_FIELD)
    return (site_host(url) if isinstance(url, str) else None) or display


def save_site_table(boilerplate: SiteBoilerplate, folder: str | Path) -> str:
    """Save pass 1's result for the tasks of pass 2, into a private folder of this run; its path."""
    path = Path(folder) / TABLE_NAME
    with open(path, "wb") as handle:
        pickle.dump(boilerplate, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return str(path)


@lru_cache(maxsize=1)
def load_site_table(path: str) -> SiteBoilerplate:
    """The table :func:`save_site_table` wrote (this run's own file, in a folder only this user can
    read), loaded once per process."""
    with open(path, "rb") as handle:
        table = pickle.load(handle)  # noqa: S301 - written by this run, see above
    assert isinstance(table, SiteBoilerplate)
    return table


def site_page(job: Job, cleaner: Cleaner, data: str | bytes, host: str) -> tuple[Page, int]:
    """Pass 2 for one page: classified, its host's boilerplate dropped; and how many lines that dropped."""
    assert job.site_table is not None
    table = load_site_table(job.site_table)
    return table.classify_counted(cleaner, host, data, job.options, probabilities=job.probabilities)


def count_file(job: Job, task: FileTask) -> Outcome:
    """Pass 1 for a file: its lines counted under its folder. A stream (a text file too large to be one
    page) and a file that cannot be read count for nothing (pass 2 cleans or reports them)."""
    counts = SiteCounts(max_lines=job.site_max_lines)
    outcome = Outcome(task.index, bytes=task.source.size, site=counts)
    if not task.stream:
        try:
            page = load_cleaner(job.model).read_page(read_input(task.source.path), job.options)
            counts.add_page(file_host(task.source.display), page.texts)
            outcome.pages = 1
        except CleanerError:
            pass
    return outcome


def count_records(job: Job, task: RecordsTask) -> Outcome:
    """Pass 1 for a chunk of JSON Lines: each record's field counted under its host. Malformed
    records count for nothing (pass 2 reports them)."""
    cleaner = load_cleaner(job.model)
    counts = SiteCounts(max_lines=job.site_max_lines)
    outcome = Outcome(task.index, bytes=sum(map(len, task.lines)), finished=task.last, site=counts)
    field_name = job.jsonl_field
    for raw in task.lines:
        try:
            record = json.loads(raw.rstrip(b"\r\n"))
            value = record.get(field_name) if isinstance(record, dict) else None
            if isinstance(value, str):
                counts.add_page(record_host(record, task.display), cleaner.read_page(value, job.options).texts)
                outcome.pages += 1
        except (ValueError, CleanerError):  # not JSON (UnicodeDecodeError is a ValueError), not a page
            continue
    return outcome

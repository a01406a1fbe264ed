"""What the metadata tests share (tests/test_metadata.py, test_metadata_text.py,
test_metadata_pages.py): small pages around given markup, and a fixed "today"."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

# Saved pages the tests read.
DATA = Path(__file__).resolve().parent / "data" / "metadata"
# A fixed "today" for the date functions, so that tests do not age.
TODAY = dt.date(2026, 11, 29)


def page(head: str = "", body: str = "", lang: str | None = None) -> str:
    """A small HTML page around the given head and body markup."""
    lang_attribute = f' lang="{lang}"' if lang else ""
    return f"<!DOCTYPE html><html{lang_attribute}><head>{head}</head><body>{body}</body></html>"


def jsonld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'

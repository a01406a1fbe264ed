"""Page metadata: what a page says about itself (title, author, date, language, URL, site, description).

::

    from cleaner.metadata import extract_metadata, metadata_from_html, metadata_from_lines

    meta = metadata_from_html(html, url="https://example.com/a")   # str or bytes
    meta = extract_metadata(root)        # an lxml tree or element of an already parsed page
    meta.title, meta.author, meta.date   # str or None; date is YYYY-MM-DD
    meta.to_dict()

For plain text, :func:`metadata_from_lines` reads (text, label) pairs, and :func:`find_date_in_text`
finds a date in a line. Missing metadata is None; broken pages never raise.

Self-contained: lxml and the standard library only. Modules: :mod:`~cleaner.metadata.document` (the
fields and their order of trust) and :mod:`~cleaner.metadata.keys` (their ``<meta>`` keys),
:mod:`~cleaner.metadata.jsonld`, :mod:`~cleaner.metadata.tags` (``<meta>``, ``<time>``, bylines),
:mod:`~cleaner.metadata.visible` (the byline by the headline), :mod:`~cleaner.metadata.other_text`
(comments, navigation, sidebars: text about other things) and :mod:`~cleaner.metadata.classwords`,
:mod:`~cleaner.metadata.dates` and :mod:`~cleaner.metadata.months`, :mod:`~cleaner.metadata.titles`,
:mod:`~cleaner.metadata.authors`, :mod:`~cleaner.metadata.lines`.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cleaner.metadata.dates import find_date_in_text, parse_date_value
    from cleaner.metadata.document import Metadata, extract_metadata, metadata_from_html
    from cleaner.metadata.lines import metadata_from_lines

# The package's names and the modules that define them, imported on first use: cleaning reads a
# page's JSON-LD (cleaner.metadata.jsonld) but only extraction needs the rest, and `clean file.txt`
# starts without it.
_EXPORTS = {
    "Metadata": "cleaner.metadata.document",
    "extract_metadata": "cleaner.metadata.document",
    "find_date_in_text": "cleaner.metadata.dates",
    "metadata_from_html": "cleaner.metadata.document",
    "metadata_from_lines": "cleaner.metadata.lines",
    "parse_date_value": "cleaner.metadata.dates",
}
__all__ = [
    "Metadata",
    "extract_metadata",
    "find_date_in_text",
    "metadata_from_html",
    "metadata_from_lines",
    "parse_date_value",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'cleaner.metadata' has no attribute {name!r}")
    return getattr(import_module(module), name)


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})

"""What a page's relative URLs resolve against: its ``<base href>``, itself resolved against where the
page came from. One rule for the Markdown's links and the metadata's canonical URL."""

from __future__ import annotations

from urllib.parse import urljoin


def page_base(href: str | None, url: str | None) -> str | None:
    """The page's ``<base href>`` resolved against ``url`` (where the page came from), else ``url``."""
    if not href:
        return url
    try:
        return urljoin(url, href) if url else href
    except ValueError:  # an invalid URL
        return url

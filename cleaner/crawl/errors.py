"""The errors of crawl input: a file that cannot be read on, and a record that cannot be cleaned."""

from __future__ import annotations

from cleaner import InputError


class CrawlError(InputError):
    """A crawl file cannot be read (on): it is not a WARC file, or it is truncated or corrupt.

    ``source`` names the file (or stream) and ``offset`` is the byte where reading stopped (for a
    gzip-per-record file, the offset of a gzip member, as in Common Crawl's indexes), or None when
    it is not known. The message reads ``"<source>:<offset>: <reason>"``.
    """

    def __init__(self, source: str, offset: int | None, reason: str) -> None:
        self.source = source
        self.offset = offset
        self.reason = reason
        where = source if offset is None else f"{source}:{offset}"
        super().__init__(f"{where}: {reason}")

    def __reduce__(self) -> tuple[type, tuple[str, int | None, str]]:
        # Worker processes send errors back pickled; the default would call __init__ with the message only.
        return (type(self), (self.source, self.offset, self.reason))


class RecordError(CrawlError):
    """One record could not be cleaned. The file can be read on: only this record is lost."""

"""Cleaning a text stream of any length with bounded memory, output starting before the input ends.

A page is a whole input when the input is small (up to :attr:`Bounds.whole_page` characters): it is
then cleaned exactly as :meth:`Cleaner.clean` would, byte for byte. A longer text is cut into
segments that the classifier sees as pages: a segment ends at the first blank line (a paragraph
break) once it holds :attr:`Bounds.segment_lines` lines or :attr:`Bounds.segment_chars` characters,
or, when no blank line comes, before the line that would take it past the hard bounds. Line numbers
run on across segments, and the rendering is the one of the whole text (a blank line wherever
anything stood between two kept lines, segment boundaries included).

HTML cannot be cut like this: an HTML input (sniffed from its start with ``input_format="auto"``)
is read whole and cleaned as one page. A single line longer than the hard bound is kept whole, up
to :attr:`Bounds.longest_line`: a longer one (a stream without line breaks) is cut into lines of
that many characters, so that memory stays bounded whatever comes in.

Bytes are decoded as :func:`cleaner.text.decode_text` does (BOM, else BOM-less UTF-16 told by its NUL
bytes, else UTF-8, invalid bytes replaced; binary data refused from its first bytes), incrementally.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import compress
from typing import BinaryIO

from cleaner.core import Article, Cleaner, Page, _wants_html, classify_lines, keep_mask
from cleaner.errors import BinaryInputError, InputError
from cleaner.lines import Line, LineResult
from cleaner.options import Options
from cleaner.sniff import SNIFF_BYTES, binary_kind, bom_encoding, utf16_without_bom
from cleaner.text import replace_surrogates

# Inputs up to this many characters (bytes for byte input) are one page, cleaned as Cleaner.clean does.
WHOLE_PAGE = 4 * 1024 * 1024
# Bytes read at a time from a byte stream.
READ_CHUNK = 1024 * 1024
# How much of a byte input is sniffed to tell HTML from text (as Cleaner.process does).
_HTML_SNIFF = 4096


@dataclass(frozen=True)
class Bounds:
    """Where a long text is cut into pages for the classifier (sizes in characters, newlines included)."""

    whole_page: int = WHOLE_PAGE
    """An input up to this size is one page."""
    segment_lines: int = 2000
    segment_chars: int = 1024 * 1024
    """Past either of these, a segment ends at the next blank line."""
    hard_lines: int = 8000
    hard_chars: int = 4 * 1024 * 1024
    """A segment never grows past these (unless a single line is longer)."""
    longest_line: int = WHOLE_PAGE
    """A longer line is cut into lines of this many characters (only a streamed input, longer than
    ``whole_page``, can hold one)."""
    largest_html: int = 256 * 1024 * 1024
    """An HTML input is read whole, up to this many bytes: a larger one (or an endless one) is refused
    rather than taking all memory (cleaning HTML takes about 13 times the page's size)."""

    def __post_init__(self) -> None:
        if min(self.whole_page, self.segment_lines, self.segment_chars, self.longest_line, self.largest_html) < 1:
            raise ValueError("stream bounds must be positive")
        if self.hard_lines < self.segment_lines or self.hard_chars < self.segment_chars:
            raise ValueError("hard bounds must be at least the segment bounds")


DEFAULT_BOUNDS = Bounds()


# -- lines -------------------------------------------------------------------------------------------


def split_items(items: Iterable[str]) -> Iterator[str]:
    """The lines of ``items``, each item a line: one trailing line break (LF, CRLF or CR) is dropped,
    and an item holding more line breaks is split at them, as :func:`cleaner.text.split_lines` would."""
    for item in items:
        if item.endswith("\n"):
            item = item[:-2] if item.endswith("\r\n") else item[:-1]
        elif item.endswith("\r"):
            item = item[:-1]
        if "\r" in item:
            item = item.replace("\r\n", "\n").replace("\r", "\n")
        if "\n" in item:
            yield from item.split("\n")
        else:
            yield item


def iter_segments(lines: Iterable[Line], bounds: Bounds = DEFAULT_BOUNDS) -> Iterator[list[Line]]:
    """Cut a run of lines into segments (see the module's docstring). Every line lands in exactly one."""
    segment: list[Line] = []
    chars = 0
    for line in lines:
        size = len(line.text) + 1
        if segment and (len(segment) >= bounds.hard_lines or chars + size > bounds.hard_chars):
            yield segment
            segment, chars = [], 0
        segment.append(line)
        chars += size
        if (len(segment) >= bounds.segment_lines or chars >= bounds.segment_chars) and not line.text.strip():
            yield segment
            segment, chars = [], 0
    if segment:
        yield segment


class StreamRenderer:
    """:func:`cleaner.core.render` of a whole text, fed the results a segment at a time."""

    def __init__(self) -> None:
        self.previous: int | None = None

    def render(self, results: Iterable[LineResult]) -> str:
        return self.render_lines([(result.number, result.text) for result in results if result.kept])

    def render_lines(self, kept: Iterable[tuple[int, str]]) -> str:
        """The kept lines, given as (number, text), that follow those rendered so far."""
        out: list[str] = []
        previous = self.previous
        for number, text in kept:
            if previous is not None and number != previous + 1:
                out.append("\n")
            out.append(text + "\n")
            previous = number
        self.previous = previous
        return "".join(out)


# -- text streams ------------------------------------------------------------------------------------


@dataclass
class StreamedPage:
    """A page cleaned as a stream: its results come a segment at a time (one list for a whole page).

    ``replaced`` is final once ``results`` is exhausted.
    """

    results: Iterator[list[LineResult]]
    input_format: str
    """``"text"``, or ``"html"`` for an HTML input (read whole)."""
    streamed: bool
    """True when the input was cut into segments; False when it was cleaned as one page."""
    _replaced: Callable[[], bool] = field(default=lambda: False, repr=False)

    @property
    def replaced(self) -> bool:
        """True when invalid bytes were replaced while decoding (known for sure once ``results`` is exhausted)."""
        return self._replaced()

    def text(self) -> Iterator[str]:
        """The rendered kept text, a piece per segment."""
        renderer = StreamRenderer()
        for results in self.results:
            piece = renderer.render(results)
            if piece:
                yield piece


def _from_page(page: Page) -> StreamedPage:
    return StreamedPage(iter([page.results]), page.input_format, False, lambda: page.replaced)


@dataclass
class StreamedArticle:
    """The kept text of a page cleaned as a stream: an Article per segment (one for a whole page, whose
    ``input_format`` says how it was read). ``replaced`` is final once ``pieces`` is exhausted."""

    pieces: Iterator[Article]
    streamed: bool
    """True when the input was cut into segments; False when it was cleaned as one page."""
    _replaced: Callable[[], bool] = field(default=lambda: False, repr=False)

    @property
    def replaced(self) -> bool:
        """True when invalid bytes were replaced while decoding (known for sure once ``pieces`` is exhausted)."""
        return self._replaced()


def _from_article(article: Article) -> StreamedArticle:
    return StreamedArticle(iter([article]), False, lambda: article.replaced)


def _texts(streamed: StreamedArticle) -> Iterator[str]:
    return (article.text for article in streamed.pieces if article.text)


def _segment_articles(cleaner: Cleaner, texts: Iterable[str], options: Options, bounds: Bounds) -> Iterator[Article]:
    """The Article of each segment of a long text: the kept text rendered as for the whole text (a
    blank line where anything stood between two kept lines, across segments too)."""
    model = cleaner._require_text_model()
    renderer = StreamRenderer()
    for segment in iter_segments(_numbered(texts), bounds):
        content = [line for line in segment if line.text.strip()]
        numbers, lines = [line.number for line in content], [line.text for line in content]
        kept = keep_mask(numbers, lines, None, model, options).tolist()
        text = renderer.render_lines(compress(zip(numbers, lines), kept))
        count = sum(kept)
        yield Article(text, count, len(content) - count, "text")


def classify_text_stream(
    cleaner: Cleaner,
    lines: Iterable[str],
    options: Options = Options(),
    bounds: Bounds = DEFAULT_BOUNDS,
    *,
    probabilities: bool = True,
) -> StreamedPage:
    """Classify a text given as lines (see :func:`split_items`), a segment at a time.

    Up to ``bounds.whole_page`` characters, the text is one page, classified as
    :meth:`Cleaner.process` does (HTML detected with ``input_format="auto"``); HTML is read whole.
    """
    options = options.checked()
    opened = _open_text_stream(lines, options, bounds)
    if isinstance(opened, str):
        return _from_page(cleaner.process(opened, options, probabilities=probabilities))
    replaced = [False]
    results = _classify_lines(cleaner, _replacing(opened, replaced), options, bounds, probabilities)
    return StreamedPage(results, "text", True, lambda: replaced[0])


def _open_text_stream(lines: Iterable[str], options: Options, bounds: Bounds) -> str | Iterator[str]:
    """The whole text, when it is one page (small, or HTML); else its lines, one at a time."""
    source = split_items(lines)
    head: list[str] = []
    size = 0
    for line in source:
        head.append(line)
        size += len(line) + 1
        if size > bounds.whole_page:
            break
    else:
        # The whole input fits in one page: what Cleaner.process reads of its text.
        return _joined(head)
    sample = "\n".join(head)[:_HTML_SNIFF]
    if _wants_html(sample, options):
        return _joined(list(_chain(head, source)))
    return _chain(head, source)


def _replacing(texts: Iterable[str], replaced: list[bool]) -> Iterator[str]:
    """``texts`` with lone surrogates replaced; ``replaced[0]`` becomes True if there were any."""
    for text in texts:
        text, bad = replace_surrogates(text)
        replaced[0] |= bad
        yield text


def _joined(lines: list[str]) -> str:
    """The text whose :func:`~cleaner.text.split_lines` gives back ``lines``."""
    return "\n".join(lines) + "\n" if lines else ""


def _chain(head: list[str], rest: Iterator[str]) -> Iterator[str]:
    # Hands the buffered lines over one by one, so that they can be freed as they are consumed.
    head.reverse()
    while head:
        yield head.pop()
    yield from rest


def _classify_lines(
    cleaner: Cleaner, texts: Iterable[str], options: Options, bounds: Bounds, probabilities: bool
) -> Iterator[list[LineResult]]:
    model = cleaner._require_text_model()
    numbered = _numbered(texts)
    for segment in iter_segments(numbered, bounds):
        yield classify_lines(segment, model, options, probabilities=probabilities)


def _numbered(texts: Iterable[str]) -> Iterator[Line]:
    first = True
    for number, text in enumerate(texts, start=1):
        if first:
            first = False
            if text.startswith("\ufeff"):  # as split_lines does
                text = text[1:]
        yield Line(number, text)


def clean_text_stream(
    cleaner: Cleaner, lines: Iterable[str], options: Options = Options(), bounds: Bounds = DEFAULT_BOUNDS
) -> Iterator[str]:
    """The kept text of a text given as lines, a piece per segment (see :func:`classify_text_stream`).

    For a text of up to ``bounds.whole_page`` characters, the pieces join to exactly
    :meth:`Cleaner.clean` of the text.
    """
    options = options.checked()
    opened = _open_text_stream(lines, options, bounds)
    if isinstance(opened, str):
        return _texts(_from_article(cleaner.article(opened, options)))
    return _texts(StreamedArticle(_segment_articles(cleaner, _replacing(opened, [False]), options, bounds), True))


# -- byte streams ------------------------------------------------------------------------------------


class _Decoder:
    """Incremental :func:`cleaner.text.decode_text`, the encoding told from the first bytes: a BOM, else
    BOM-less UTF-16 (NUL bytes), else UTF-8; invalid bytes become U+FFFD."""

    def __init__(self, head: bytes) -> None:
        encoding, self.skip = "utf-8", 0
        marked = bom_encoding(head)
        if marked is not None:
            encoding, self.skip = marked
        else:
            kind = binary_kind(head)
            if kind is not None:
                raise BinaryInputError(f"input is {kind}, not text or HTML")
            if 0 in head:
                encoding = utf16_without_bom(head) or encoding
        self.replaced = False
        self._decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
        self._lenient = codecs.getincrementaldecoder(encoding)(errors="replace")

    def decode(self, data: bytes, final: bool = False) -> str:
        if self.skip:
            cut = min(self.skip, len(data))
            data, self.skip = data[cut:], self.skip - cut
        if not self.replaced:
            state = self._decoder.getstate()
            try:
                return self._decoder.decode(data, final)
            except UnicodeDecodeError:
                # From here on, replace: restart the lenient decoder where the strict one stood.
                self.replaced = True
                self._lenient.setstate(state)
        return self._lenient.decode(data, final)


def _text_lines(chunks: Iterable[bytes], decoder: _Decoder, longest: int) -> Iterator[str]:
    """Decoded lines of a byte stream, line breaks normalised as split_lines does; a line longer
    than ``longest`` characters comes out cut into lines of that length."""
    line: list[str] = []  # the pieces of the unfinished line, and their length
    size = 0
    cr = ""  # a CR that ended the last chunk: a CRLF may straddle two chunks
    for chunk in chunks:
        text = cr + decoder.decode(chunk)
        cr = "\r" if text.endswith("\r") else ""
        text = text[:-1] if cr else text
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        pieces = text.split("\n")
        if len(pieces) > 1:
            line.append(pieces[0])
            yield from _cut("".join(line), longest)
            for piece in pieces[1:-1]:
                yield from _cut(piece, longest)
            line, size = [pieces[-1]], len(pieces[-1])
        else:
            line.append(text)
            size += len(text)
        if size > longest:
            *whole, rest = _cut("".join(line), longest)
            yield from whole
            line, size = [rest], len(rest)
    text = "".join(line) + cr + decoder.decode(b"", final=True)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    pieces = text.split("\n")
    if pieces[-1] == "":  # the text ended with a line break (or is empty)
        pieces.pop()
    for piece in pieces:
        yield from _cut(piece, longest)


def _cut(line: str, longest: int) -> list[str]:
    if len(line) <= longest:
        return [line]
    return [line[start : start + longest] for start in range(0, len(line), longest)]


def _chunks(handle: BinaryIO, first: bytes, size: int = READ_CHUNK) -> Iterator[bytes]:
    if first:
        yield first
    while True:
        chunk = handle.read(size)
        if not chunk:
            return
        yield chunk


def _read_up_to(handle: BinaryIO, limit: int) -> tuple[bytes, bool]:
    """Up to ``limit`` + 1 bytes of ``handle``, and whether that was all of it."""
    parts: list[bytes] = []
    size = 0
    while size <= limit:
        # read1 returns what a pipe has without waiting for more, where the stream offers it.
        reader = getattr(handle, "read1", handle.read)
        chunk = reader(min(READ_CHUNK, limit + 1 - size))
        if not chunk:
            return b"".join(parts), True
        parts.append(chunk)
        size += len(chunk)
    return b"".join(parts), False


def classify_byte_stream(
    cleaner: Cleaner,
    handle: BinaryIO,
    options: Options = Options(),
    bounds: Bounds = DEFAULT_BOUNDS,
    *,
    probabilities: bool = True,
) -> StreamedPage:
    """Classify a byte stream (a file opened in binary mode, standard input's buffer) a segment at a time.

    An input of up to ``bounds.whole_page`` bytes is read whole and classified by :meth:`Cleaner.process`
    (so the results are those of the rest of the library); an HTML input is read whole too. A longer
    text is decoded and cut into segments as it is read. Raises :class:`~cleaner.errors.InputError`
    (:class:`BinaryInputError`) for binary data, from the first bytes, before any result.
    """
    options = options.checked()
    opened = _open_byte_stream(cleaner, handle, options, bounds)
    if isinstance(opened, bytes):
        return _from_page(cleaner.process(opened, options, probabilities=probabilities))
    texts, decoder = opened
    return StreamedPage(
        _classify_lines(cleaner, texts, options, bounds, probabilities), "text", True, lambda: decoder.replaced
    )


def clean_byte_stream(
    cleaner: Cleaner, handle: BinaryIO, options: Options = Options(), bounds: Bounds = DEFAULT_BOUNDS
) -> Iterator[str]:
    """The kept text of a byte stream, a piece per segment (see :func:`classify_byte_stream`)."""
    return _texts(article_byte_stream(cleaner, handle, options, bounds))


def article_byte_stream(
    cleaner: Cleaner, handle: BinaryIO, options: Options = Options(), bounds: Bounds = DEFAULT_BOUNDS
) -> StreamedArticle:
    """:func:`classify_byte_stream` for the kept text only: an :class:`~cleaner.core.Article` per segment
    (the kept text and the lines kept and dropped), without a result object per line."""
    options = options.checked()
    opened = _open_byte_stream(cleaner, handle, options, bounds)
    if isinstance(opened, bytes):
        return _from_article(cleaner.article(opened, options))
    texts, decoder = opened
    return StreamedArticle(_segment_articles(cleaner, texts, options, bounds), True, lambda: decoder.replaced)


def _open_byte_stream(
    cleaner: Cleaner, handle: BinaryIO, options: Options, bounds: Bounds
) -> bytes | tuple[Iterator[str], _Decoder]:
    """The whole input, when it is one page (small, or HTML); else its lines as they are decoded."""
    head, complete = _read_up_to(handle, bounds.whole_page)
    if complete:
        return head
    if _wants_html(head[:_HTML_SNIFF].decode("latin-1"), options):
        rest, complete = _read_up_to(handle, bounds.largest_html - len(head))
        if not complete:
            raise InputError(
                f"an HTML page over {bounds.largest_html // 2**20} MiB: too large to clean as one page "
                "(HTML is read whole; text of any length is streamed)"
            )
        return head + rest
    decoder = _Decoder(head[:SNIFF_BYTES])
    cleaner._require_text_model()  # refused before reading on
    texts = _text_lines(_chunks(handle, head), decoder, bounds.longest_line)
    del head
    return texts, decoder


__all__ = [
    "DEFAULT_BOUNDS",
    "WHOLE_PAGE",
    "Bounds",
    "StreamRenderer",
    "StreamedArticle",
    "StreamedPage",
    "article_byte_stream",
    "classify_byte_stream",
    "classify_text_stream",
    "clean_byte_stream",
    "clean_text_stream",
    "iter_segments",
    "split_items",
]

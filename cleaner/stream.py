"""Cleaning a text of any length with bounded memory, the output starting before the input ends.

An input is one page when it is small (up to :attr:`Bounds.whole_page` characters, bytes for byte
input): it is then cleaned exactly as :meth:`cleaner.Cleaner.clean` would, byte for byte. A longer
text is cut into segments that the classifier sees as pages: a segment ends at the first blank line
(a paragraph break) once it holds :attr:`Bounds.segment_lines` lines or :attr:`Bounds.segment_chars`
characters, or, when no blank line comes, before the line that would take it past the hard bounds.
Line numbers run on across segments, and the rendering is the one of the whole text (a blank line
wherever anything stood between two kept lines, segment boundaries included). The page check
(``Options.narrow``) does not run on segments: a segment is a slice of a text, not a page, and
keeping only its main region would drop the text around it.

HTML cannot be cut like this: an HTML input (sniffed from its start with ``input_format="auto"``)
is read whole and cleaned as one page. A single line longer than the hard bound is kept whole, up
to :attr:`Bounds.longest_line`: a longer one (a stream without line breaks) is cut into lines of
that many characters, so that memory stays bounded whatever comes in. Bytes are decoded as
:func:`cleaner.read.decode.decode_text` decodes them, a piece at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import compress
from typing import BinaryIO

from cleaner.errors import InputError
from cleaner.options import Options, checked_options
from cleaner.pipeline import Models, articles, classified, decide_pages
from cleaner.read.decode import TextStreamDecoder, replace_surrogates
from cleaner.read.lines import split_items, stream_lines, without_bom
from cleaner.read.sniff import SNIFF_BYTES, wants_html
from cleaner.records import Line, ReadPage
from cleaner.render import Renderer
from cleaner.results import Article, LineResult, Page

# Inputs up to this many characters (bytes for byte input) are one page, cleaned as Cleaner.clean does.
WHOLE_PAGE = 4 * 1024 * 1024
# Bytes read at a time from a byte stream.
READ_CHUNK = 1024 * 1024


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
    rather than taking all memory. Cleaning HTML takes about 4 times the page's size for a page of
    paragraphs; a page of more lines than :data:`cleaner.pipeline.MAX_PAGE_LINES` is classified in parts
    (a 4 MB page of 500,000 one-word blocks peaks at 340 MB)."""

    def __post_init__(self) -> None:
        if min(self.whole_page, self.segment_lines, self.segment_chars, self.longest_line, self.largest_html) < 1:
            raise ValueError("stream bounds must be positive")
        if self.hard_lines < self.segment_lines or self.hard_chars < self.segment_chars:
            raise ValueError("hard bounds must be at least the segment bounds")


DEFAULT_BOUNDS = Bounds()


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


def segment_pages(texts: Iterable[str], bounds: Bounds) -> Iterator[ReadPage]:
    """The segments of a long text given as its lines, each read as a page (its line numbers running on)."""
    numbered = (Line(number, text) for number, text in enumerate(without_bom(texts), start=1))
    for segment in iter_segments(numbered, bounds):
        content = [line for line in segment if line.text.strip()]
        yield ReadPage(
            [line.number for line in content],
            [line.text for line in content],
            None,
            "text",
            lines=[line.text for line in segment],
            first_line=segment[0].number,
        )


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
        renderer = Renderer()
        for results in self.results:
            piece = renderer.render_results(results)
            if piece:
                yield piece


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

    def text(self) -> Iterator[str]:
        """The kept text, a piece per segment."""
        return (article.text for article in self.pieces if article.text)


# -- one page, or segments -----------------------------------------------------------------------------


def _whole_page(models: Models, page: ReadPage, options: Options, probabilities: bool) -> StreamedPage:
    result: Page = classified(page, models.for_page(page), options, probabilities=probabilities)
    return StreamedPage(iter([result.results]), result.input_format, False, lambda: result.replaced)


def _whole_article(models: Models, page: ReadPage, options: Options) -> StreamedArticle:
    article = articles([page], models.for_page(page), options)[0]
    return StreamedArticle(iter([article]), False, lambda: article.replaced)


def _segment_results(
    models: Models, texts: Iterable[str], options: Options, bounds: Bounds, probabilities: bool
) -> Iterator[list[LineResult]]:
    model = models.for_text()
    options = replace(options, narrow=False)  # a segment is not a page (see the module's docstring)
    for page in segment_pages(texts, bounds):
        yield classified(page, model, options, probabilities=probabilities).results


def _segment_articles(models: Models, texts: Iterable[str], options: Options, bounds: Bounds) -> Iterator[Article]:
    """The Article of each segment of a long text: the kept text rendered as for the whole text (a
    blank line where anything stood between two kept lines, across segments too)."""
    model = models.for_text()
    options = replace(options, narrow=False)  # a segment is not a page (see the module's docstring)
    renderer = Renderer()
    for page in segment_pages(texts, bounds):
        kept = decide_pages([page], model, options).kept.tolist()
        text = renderer.render(list(compress(page.numbers, kept)), list(compress(page.texts, kept)))
        count = sum(kept)
        yield Article(text, count, len(page.texts) - count, "text")


# -- text streams ------------------------------------------------------------------------------------


def classify_text_stream(
    models: Models,
    lines: Iterable[str],
    options: Options = Options(),
    bounds: Bounds = DEFAULT_BOUNDS,
    *,
    probabilities: bool = True,
) -> StreamedPage:
    """Classify a text given as lines (see :func:`~cleaner.read.lines.split_items`), a segment at a time.

    Up to ``bounds.whole_page`` characters, the text is one page, classified as
    :meth:`cleaner.Cleaner.process` does (HTML detected with ``input_format="auto"``); HTML is read whole.
    """
    options = checked_options(options)
    opened = _open_text_stream(models, lines, options, bounds)
    if isinstance(opened, ReadPage):
        return _whole_page(models, opened, options, probabilities)
    replaced = [False]
    results = _segment_results(models, _replacing(opened, replaced), options, bounds, probabilities)
    return StreamedPage(results, "text", True, lambda: replaced[0])


def clean_text_stream(
    models: Models, lines: Iterable[str], options: Options = Options(), bounds: Bounds = DEFAULT_BOUNDS
) -> Iterator[str]:
    """The kept text of a text given as lines, a piece per segment (see :func:`classify_text_stream`).

    For a text of up to ``bounds.whole_page`` characters, the pieces join to exactly
    :meth:`cleaner.Cleaner.clean` of the text.
    """
    options = checked_options(options)
    opened = _open_text_stream(models, lines, options, bounds)
    if isinstance(opened, ReadPage):
        return _whole_article(models, opened, options).text()
    return StreamedArticle(_segment_articles(models, _replacing(opened, [False]), options, bounds), True).text()


def _open_text_stream(
    models: Models, lines: Iterable[str], options: Options, bounds: Bounds
) -> ReadPage | Iterator[str]:
    """The whole text read as one page, when it is one (small, or HTML); else its lines, one at a time.
    A page is read here so that its text is let go before it is classified (see :func:`_open_byte_stream`)."""
    source = split_items(lines)
    head: list[str] = []
    size = 0
    for line in source:
        head.append(line)
        size += len(line) + 1
        if size > bounds.whole_page:
            break
    else:
        return models.read(_joined(head), options)  # the whole input fits in one page
    if wants_html("\n".join(head), options.input_format):
        return models.read(_joined(list(_chain(head, source))), options)
    return _chain(head, source)


def _replacing(texts: Iterable[str], replaced: list[bool]) -> Iterator[str]:
    """``texts`` with lone surrogates replaced; ``replaced[0]`` becomes True if there were any."""
    for text in texts:
        text, bad = replace_surrogates(text)
        replaced[0] |= bad
        yield text


def _joined(lines: list[str]) -> str:
    """The text whose :func:`~cleaner.read.lines.split_lines` gives back ``lines``."""
    return "\n".join(lines) + "\n" if lines else ""


def _chain(head: list[str], rest: Iterator[str]) -> Iterator[str]:
    # Hands the buffered lines over one by one, so that they can be freed as they are consumed.
    head.reverse()
    while head:
        yield head.pop()
    yield from rest


# -- byte streams ------------------------------------------------------------------------------------


def classify_byte_stream(
    models: Models,
    handle: BinaryIO,
    options: Options = Options(),
    bounds: Bounds = DEFAULT_BOUNDS,
    *,
    probabilities: bool = True,
) -> StreamedPage:
    """Classify a byte stream (a file opened in binary mode, standard input's buffer) a segment at a time.

    An input of up to ``bounds.whole_page`` bytes is read whole and classified as
    :meth:`cleaner.Cleaner.process` does; an HTML input is read whole too. A longer text is decoded and
    cut into segments as it is read. Raises :class:`~cleaner.errors.InputError`
    (:class:`~cleaner.errors.BinaryInputError`) for binary data, from the first bytes, before any result.
    """
    options = checked_options(options)
    opened = _open_byte_stream(models, handle, options, bounds)
    if isinstance(opened, ReadPage):
        return _whole_page(models, opened, options, probabilities)
    texts, decoder = opened
    results = _segment_results(models, texts, options, bounds, probabilities)
    return StreamedPage(results, "text", True, lambda: decoder.replaced)


def clean_byte_stream(
    models: Models, handle: BinaryIO, options: Options = Options(), bounds: Bounds = DEFAULT_BOUNDS
) -> Iterator[str]:
    """The kept text of a byte stream, a piece per segment (see :func:`classify_byte_stream`)."""
    return article_byte_stream(models, handle, options, bounds).text()


def article_byte_stream(
    models: Models, handle: BinaryIO, options: Options = Options(), bounds: Bounds = DEFAULT_BOUNDS
) -> StreamedArticle:
    """:func:`classify_byte_stream` for the kept text only: an :class:`~cleaner.results.Article` per
    segment (the kept text and the lines kept and dropped), without a result object per line."""
    options = checked_options(options)
    opened = _open_byte_stream(models, handle, options, bounds)
    if isinstance(opened, ReadPage):
        return _whole_article(models, opened, options)
    texts, decoder = opened
    return StreamedArticle(_segment_articles(models, texts, options, bounds), True, lambda: decoder.replaced)


def _open_byte_stream(
    models: Models, handle: BinaryIO, options: Options, bounds: Bounds
) -> ReadPage | tuple[Iterator[str], TextStreamDecoder]:
    """The whole input read as one page, when it is one (small, or HTML); else its lines as they are
    decoded. A page is read here, and its bytes let go before it is classified: a large HTML page's
    input is not kept beside its feature matrix."""
    head, complete = _read_up_to(handle, bounds.whole_page)
    if complete:
        return models.read(head, options)
    if wants_html(head, options.input_format):
        rest, complete = _read_up_to(handle, bounds.largest_html - len(head))
        if not complete:
            raise InputError(
                f"an HTML page over {bounds.largest_html // 2**20} MiB: too large to clean as one page "
                "(HTML is read whole; text of any length is streamed)"
            )
        data = head + rest
        del head, rest
        return models.read(data, options)
    if len(head) < SNIFF_BYTES:  # the encoding is told from as many bytes as decode_text reads
        more, _ = _read_up_to(handle, SNIFF_BYTES - len(head) - 1)
        head += more
    decoder = TextStreamDecoder(head[:SNIFF_BYTES])
    models.for_text()  # refused before reading on
    texts = stream_lines(_chunks(handle, head), decoder, bounds.longest_line)
    del head
    return texts, decoder


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


__all__ = [
    "DEFAULT_BOUNDS",
    "WHOLE_PAGE",
    "Bounds",
    "StreamedArticle",
    "StreamedPage",
    "article_byte_stream",
    "classify_byte_stream",
    "classify_text_stream",
    "clean_byte_stream",
    "clean_text_stream",
    "iter_segments",
    "segment_pages",
]

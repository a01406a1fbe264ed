"""Corpus pages turned into labeled lines for both models, once: the HTML model sees the segmenter's
blocks with their markup, the text model a plain-text rendering by one of several tools (round-robin
by page, so that it does not learn one tool's layout). Each line is labelled by aligning it with the
page's gold text (:mod:`cleaner.corpus.align`).

Aligning every page takes minutes; the result is cached on disk, keyed by the pages and by the source
of the code it depends on (reading, rendering, aligning), so that a change there is never served
stale labels.
"""

from __future__ import annotations

import gzip
import hashlib
import pickle
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cleaner.corpus.align import align_lines
from cleaner.corpus.pages import CorpusPage, align_tokens
from cleaner.corpus.render import RENDERERS
from cleaner.read import read_html
from cleaner.read.lines import split_lines
from cleaner.read.tags import HEADING_TAGS
from cleaner.records import ReadPage
from cleaner.render import render_lines

# Photo captions and credits are labelled meta whatever a corpus's gold does with them (most leave them
# out; CleanEval and CleanPortalEval keep them): a <figcaption> block, or a block whose class or id
# says caption, credit or photo (the "caption" hint). Labels that drop a line for a reason of its own
# (comment, related, classified) stay.
CAPTION_TAGS = frozenset({"figcaption"})
CAPTION_HINT = "caption"
CAPTION_LABEL = "meta"
_RELABELLED_CAPTIONS = frozenset({"body", "heading", "nav"})
# The plain-text renderings the text model learns from, in round-robin order.
TEXT_RENDERERS: tuple[str, ...] = tuple(RENDERERS)
# The code whose changes make cached alignments stale (folders and modules of the cleaner package), and
# in its folders, the sources that count: the compiled segmenter and line rules (read/*.pyx) too.
_CODE = ("read", "corpus/align.py", "corpus/pages.py", "corpus/render.py", "corpus/aligned.py", "render")
_SOURCES = ("*.py", "*.pyx")


@dataclass(frozen=True, eq=False)
class AlignedPage:
    """One corpus page as labeled lines for both models."""

    id: str
    corpus: str
    site: str
    renderer: str
    html: ReadPage
    html_labels: tuple[str, ...]
    html_agreement: float
    text_lines: tuple[str, ...]
    """Every line of the text rendering, blank ones too (labelled ``-``)."""
    text_labels: tuple[str, ...]
    text_agreement: float
    gold_tokens: int
    """Word tokens of the gold text (what recall is measured against)."""


def _relabelled(
    lines: Sequence[str], labels: Sequence[str], texts: set[str], given: frozenset[str], label: str
) -> tuple[str, ...]:
    """``labels`` with those in ``given`` set to ``label`` where the line's text is one of ``texts``."""
    return tuple(label if old in given and " ".join(line.split()) in texts else old for line, old in zip(lines, labels))


def _page_labels(
    lines: Sequence[str], labels: Sequence[str], headings: set[str], captions: set[str]
) -> tuple[str, ...]:
    """The aligned labels with what the page's markup says: main lines that are headings (h1-h6 blocks)
    become ``heading``; photo captions and credits become ``meta`` (see :data:`CAPTION_TAGS`)."""
    labels = _relabelled(lines, labels, headings, frozenset({"body"}), "heading")
    return _relabelled(lines, labels, captions, _RELABELLED_CAPTIONS, CAPTION_LABEL)


def align_page(page: CorpusPage, renderer: str) -> AlignedPage:
    """Read ``page`` for both models and label its lines against the gold text."""
    html = read_html(page.html)
    assert html.markup is not None
    heading_texts = {" ".join(text.split()) for text, tag in zip(html.texts, html.markup.tags) if tag in HEADING_TAGS}
    caption_texts = {
        " ".join(text.split())
        for text, tag, hints in zip(html.texts, html.markup.tags, html.markup.hints)
        if tag in CAPTION_TAGS or CAPTION_HINT in hints
    }
    html_alignment = align_lines(html.texts, page)
    if renderer == "cleaner":  # the segmentation in hand, rendered
        text = render_lines(html.numbers, html.texts)
    else:
        text = "\n".join(RENDERERS[renderer](page.html))
    lines = split_lines(text)
    text_alignment = align_lines(lines, page)
    return AlignedPage(
        id=page.id,
        corpus=page.corpus,
        site=page.site,
        renderer=renderer,
        html=html,
        html_labels=_page_labels(html.texts, html_alignment.labels, heading_texts, caption_texts),
        html_agreement=html_alignment.agreement,
        text_lines=tuple(lines),
        text_labels=_page_labels(lines, text_alignment.labels, heading_texts, caption_texts),
        text_agreement=text_alignment.agreement,
        gold_tokens=len(align_tokens(page.gold)),
    )


def _align_indexed(index: int, page: CorpusPage) -> AlignedPage:
    # Round-robin over the renderers by page: deterministic, and every tool's layout is seen.
    return align_page(page, TEXT_RENDERERS[index % len(TEXT_RENDERERS)])


def align_pages(pages: Sequence[CorpusPage], *, jobs: int = 1, cache: Path | None = None) -> list[AlignedPage]:
    """Every page aligned (the renderer of the text model chosen by the page's place in ``pages``),
    read from ``cache`` (a folder) when these pages were aligned by this code before."""
    path = None if cache is None else cache / f"aligned-{_key(pages)}.pkl.gz"
    if path is not None and path.is_file():
        with gzip.open(path, "rb") as handle:
            return pickle.load(handle)  # noqa: S301 -- a cache this project wrote itself, never downloaded
    if jobs == 1:
        found = [_align_indexed(i, page) for i, page in enumerate(pages)]
    else:
        from joblib import Parallel, delayed

        found = Parallel(n_jobs=jobs, batch_size=8)(delayed(_align_indexed)(i, page) for i, page in enumerate(pages))
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        with gzip.open(temporary, "wb", compresslevel=1) as handle:
            pickle.dump(found, handle, protocol=pickle.HIGHEST_PROTOCOL)
        temporary.replace(path)
    return found


def _sources() -> list[Path]:
    """The source files of the code the alignment depends on (:data:`_CODE`), in a fixed order."""
    root = Path(__file__).resolve().parent.parent
    found = []
    for part in _CODE:
        folder = root / part
        found += sorted(path for pattern in _SOURCES for path in folder.rglob(pattern)) if folder.is_dir() else [folder]
    return found


def _key(pages: Sequence[CorpusPage]) -> str:
    """A digest of the pages (ids, HTML, gold) and of the code the alignment depends on."""
    digest = hashlib.sha256()
    for source in _sources():
        digest.update(source.read_bytes())
    for page in pages:
        digest.update(f"{page.corpus}\t{page.id}\t".encode())
        digest.update(hashlib.sha256(f"{page.html}\0{page.gold}".encode("utf-8", "surrogatepass")).digest())
    return digest.hexdigest()[:16]

"""What cleaning gives back: a line's result, a classified page (a result per line), a cleaned page
(its kept text). The records the pipeline reads and passes along are in :mod:`cleaner.records`."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class LineResult:
    """The cleaner's decision about one line."""

    number: int
    text: str
    label: str
    """The most probable label; ``"-"`` for blank lines, which are never classified."""
    keep_probability: float
    """Probability that the line belongs to the kept labels (by default body and heading)."""
    kept: bool
    probabilities: dict[str, float] = field(default_factory=dict)
    """Probability of each label."""
    explanation: tuple[tuple[str, float], ...] = ()
    """With ``explain=True``: the features that weighed most in the decision, with their contributions
    to the line's log-odds; first, the rules that decided the line, each with the value it decided by
    (a threshold, a share; ``cleaner.pipeline.RULE_NOTES`` names them)."""

    @property
    def blank(self) -> bool:
        return not self.text.strip()


@dataclass(frozen=True)
class Article:
    """A cleaned page: the kept text, and what cleaning did (for summaries and logs)."""

    text: str
    """The kept lines, as :meth:`cleaner.Cleaner.clean` returns them."""
    kept: int
    """Lines kept."""
    dropped: int
    """Non-blank lines dropped (blank lines are neither)."""
    input_format: str
    """``"text"`` or ``"html"``."""
    replaced: bool = False
    """True when invalid bytes were replaced while decoding."""
    fallback: bool = False
    """True when the models kept (nearly) nothing of a page holding prose, and its best region was
    kept instead (see :func:`cleaner.decide.fallback.fall_back`); or nothing inside the page's ``<main>`` and
    ``<article>`` elements, and their lines were kept instead (see
    :func:`cleaner.decide.parts.keep_to_content_elements`)."""
    narrowed: bool = False
    """True when only the kept lines inside the page's main region were kept, on the model's page
    check (see :func:`cleaner.decide.page_check.narrow`), or only those inside its ``<main>`` and ``<article>``
    elements (see :func:`cleaner.decide.parts.keep_to_content_elements`); the page's title is kept
    either way."""
    from_data: bool = False
    """True when the page showed (nearly) none of the article its structured data (JSON-LD
    ``articleBody``) gives, and that article was read as part of the page (see
    :mod:`cleaner.read.structured`)."""


@dataclass(frozen=True)
class Page:
    """A classified page: a result per line, and how the page was read."""

    results: list[LineResult]
    input_format: str
    """``"text"`` or ``"html"``."""
    replaced: bool = False
    """True when invalid bytes were replaced while decoding."""
    fallback: bool = False
    """True when the page's best region was kept for want of anything kept (see :class:`Article`)."""
    narrowed: bool = False
    """True when only the kept lines inside the page's main region or content elements were kept (see
    :class:`Article`)."""
    from_data: bool = False
    """True when the article the page's structured data gives was read as part of it (see :class:`Article`)."""

    def text(self) -> str:
        """The kept lines, rendered as :meth:`cleaner.Cleaner.clean` renders them."""
        from cleaner.render.text import render_results

        return render_results(self.results)

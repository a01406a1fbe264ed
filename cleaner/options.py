"""The options shared by the library and the command line."""

from __future__ import annotations

from dataclasses import dataclass, replace
from numbers import Real
from typing import Literal

from cleaner.errors import OptionsError
from cleaner.records import DEFAULT_KEEP, LABELS

InputFormat = Literal["auto", "text", "html"]
INPUT_FORMATS: tuple[str, ...] = ("auto", "text", "html")


@dataclass(frozen=True)
class Options:
    """How to clean a page.

    keep:
        Labels whose lines are kept (default: body and heading).
    threshold:
        The precision/recall dial. ``None``: the model's own threshold (the one that maximised F1
        on pages held out in training), and the rules after it (``fallback``, ``narrow``). A lower
        value keeps, besides, every line whose keep-probability reaches it (recall); a higher one
        keeps only the lines kept so that reach it (precision): lower never keeps less, higher
        never more (:mod:`cleaner.decide.dial`).
    smoothing:
        How much a line's decision leans on its neighbours' (0 = not at all). ``None`` uses the model's.
    explain:
        Attach to each result the features that weighed most in its decision.
    input_format:
        ``"text"``, ``"html"``, or ``"auto"`` to sniff the content.
    fallback:
        When the models keep (nearly) nothing of a page that holds prose, keep its best region rather
        than return nothing (``Article.fallback`` says so). False returns what the models kept.
    narrow:
        On pages whose kept lines spill out of the page's main region (HTML: its densest container of
        prose; text: its best run of lines), keep only those inside it when the model's page check
        says so (``Article.narrowed`` says so); inside an HTML page's main container, keep its prose
        from the model's lower ``main_threshold``; and on an HTML page whose ``<main>`` and
        ``<article>`` elements hold a good part of what is kept, drop the kept lines outside them (or
        keep theirs instead when nothing inside them is kept). False turns these off; so do the
        segments of a long text stream, which are not pages.
    """

    keep: tuple[str, ...] = DEFAULT_KEEP
    threshold: float | None = None
    smoothing: float | None = None
    explain: bool = False
    input_format: InputFormat = "auto"
    fallback: bool = True
    narrow: bool = True

    def checked(self) -> Options:
        """Return the options (their numbers as floats), or raise :class:`OptionsError` naming the bad option."""
        if isinstance(self.keep, str) or not isinstance(self.keep, (tuple, list)):
            raise OptionsError(f"keep: a tuple of labels, such as ('body', 'heading'), not {self.keep!r}")
        for name in ("threshold", "smoothing"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, Real)):
                raise OptionsError(f"{name} must be a number or None, not {value!r}")
        unknown = [label for label in self.keep if label not in LABELS]
        if unknown or not self.keep:
            raise OptionsError(f"keep: unknown or no labels {unknown} (known: {', '.join(LABELS)})")
        if len(set(self.keep)) != len(self.keep):
            # A label counted twice would add its probability twice to the keep-probability.
            raise OptionsError(f"keep: a label is given more than once in {list(self.keep)}")
        if self.threshold is not None and not 0.0 <= self.threshold <= 1.0:
            raise OptionsError(f"threshold must be between 0 and 1, not {self.threshold}")
        if self.smoothing is not None and not 0.0 <= self.smoothing < 1.0:
            raise OptionsError(f"smoothing must be in [0, 1), not {self.smoothing}")
        if not isinstance(self.input_format, str) or self.input_format not in INPUT_FORMATS:
            raise OptionsError(f"input_format must be one of {', '.join(INPUT_FORMATS)}, not {self.input_format!r}")
        for name in ("explain", "fallback", "narrow"):
            # A string from a configuration file ("false", "0") would read as true.
            if not isinstance(getattr(self, name), bool):
                raise OptionsError(f"{name} must be True or False, not {getattr(self, name)!r}")
        if any(value is not None and type(value) is not float for value in (self.threshold, self.smoothing)):
            # A Fraction or a NumPy number: the compiled core reads C doubles.
            return replace(
                self,
                threshold=None if self.threshold is None else float(self.threshold),
                smoothing=None if self.smoothing is None else float(self.smoothing),
            )
        return self


def checked_options(options: object) -> Options:
    """``options`` checked (:meth:`Options.checked`); TypeError for what is not an :class:`Options` (a
    threshold given where the options go, say)."""
    if not isinstance(options, Options):
        raise TypeError(f"options must be a cleaner.Options, not {type(options).__name__}")
    return options.checked()

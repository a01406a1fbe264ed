"""Exceptions raised by cleaner. Every failure the library reports is a :class:`CleanerError`."""

from __future__ import annotations


class CleanerError(Exception):
    """Base class of every error cleaner raises on purpose."""


class InputError(CleanerError):
    """The input cannot be read as a web page: missing file, directory, binary data, ..."""


class BinaryInputError(InputError):
    """The input looks like binary data (an image, a PDF, an archive), not text or HTML."""


class ModelError(CleanerError):
    """A model file is missing, malformed, not a cleaner model, or made by an incompatible version."""


class LabeledDataError(CleanerError):
    """A labeled training file is malformed (unknown label, missing tab, ...)."""


class TrainingError(CleanerError):
    """Training cannot proceed (no labeled lines, a single label, ...)."""


class OptionsError(CleanerError, ValueError):
    """An option is out of range or names an unknown label."""

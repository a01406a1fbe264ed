"""The command line (see :mod:`cleaner.cli.app`)."""

from cleaner.cli.app import app, clean_app, clean_main, main

__all__ = ["app", "clean_app", "clean_main", "main"]

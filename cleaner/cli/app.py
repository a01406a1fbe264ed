"""The command line: ``cleaner`` (clean, train, evaluate, annotate, benchmark, agreement) and its shortcut
``clean``.

Every command only parses arguments and calls the library. Errors the library raises on purpose
(:class:`~cleaner.errors.CleanerError`) become one line on stderr and a non-zero exit.
"""

from __future__ import annotations

from typing import Annotated

import typer

from cleaner.cli.clean import clean_command
from cleaner.cli.train import agreement_command, annotate_command, benchmark_command, evaluate_command, train_command
from cleaner.core import core_description

# Markdown help: docstring paragraphs wrap to the terminal instead of keeping the source's line breaks.
HELP_MARKUP = "markdown"

app = typer.Typer(
    name="cleaner",
    help="Keep the article of scraped web pages, drop the menus, ads, related links and comment prompts.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=HELP_MARKUP,
)


def _show_version(wanted: bool) -> None:
    if wanted:
        typer.echo(f"cleaner {package_version()}, {core_description()}")
        raise typer.Exit()


@app.callback()
def _options(
    show_version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version and the core in use."),
    ] = False,
) -> None:
    pass


def package_version() -> str:
    # Imported here: importlib.metadata (and the email package it loads) costs every command's start-up.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cleaner")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


app.command("clean")(clean_command)
app.command("train")(train_command)
app.command("evaluate")(evaluate_command)
app.command("annotate")(annotate_command)
app.command("benchmark")(benchmark_command)
app.command("agreement")(agreement_command)

# `clean` is a shortcut for `cleaner clean`: the same function, as a single-command app.
clean_app = typer.Typer(
    name="clean", add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=HELP_MARKUP
)
clean_app.command(help=clean_command.__doc__)(clean_command)


def clean_main() -> None:
    _one_blas_thread()
    clean_app()


def main() -> None:
    _one_blas_thread()
    app()


def _one_blas_thread() -> None:
    """Cleaning multiplies small matrices a page at a time: a second BLAS thread only spins (the same
    speed for twice the CPU, measured on 2 cores). Parallel work is --jobs' processes."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")

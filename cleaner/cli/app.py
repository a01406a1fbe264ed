"""The command line: ``cleaner`` (clean, train, evaluate, annotate, benchmark, agreement) and its shortcut
``clean``.

Every command only parses arguments and calls the library. Errors the library raises on purpose
(:class:`~cleaner.errors.CleanerError`) become one line on stderr and a non-zero exit; so do usage errors
(exit code 2).
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from cleaner.cli.arguments import EXIT_ERROR, report
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
    _run(clean_app, "clean")


def main() -> None:
    _one_blas_thread()
    _run(app, "cleaner")


def _run(typer_app: typer.Typer, name: str) -> None:
    """Run a command line, its usage errors (an unknown option, a value out of range, a missing
    argument) one line on stderr and exit code 2, as the other errors are one line."""
    try:
        code = typer_app(standalone_mode=False, prog_name=name)
    except typer.Abort:
        sys.exit(EXIT_ERROR)
    except Exception as error:
        if not _parser_error(error):
            raise
        context = getattr(error, "ctx", None)
        if type(error).__name__ == "NoArgsIsHelpError" and context is not None:  # no arguments at all
            typer.echo(context.get_help())
        else:
            hint = f" (see {context.command_path} --help)" if context is not None else ""
            report(f"error: {error.format_message()}{hint}")  # type: ignore[attr-defined]
        sys.exit(error.exit_code)  # type: ignore[attr-defined]
    sys.exit(code if isinstance(code, int) else 0)


def _parser_error(error: Exception) -> bool:
    """Whether ``error`` is the command-line parser's (click's, which typer bundles from 0.2x on)."""
    module = type(error).__module__
    return module.startswith(("click", "typer")) and hasattr(error, "format_message") and hasattr(error, "exit_code")


def _one_blas_thread() -> None:
    """Cleaning multiplies small matrices a page at a time: a second BLAS thread only spins (the same
    speed for twice the CPU, measured on 2 cores). Parallel work is --jobs' processes."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")

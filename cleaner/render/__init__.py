"""The render stage: kept lines back into text (:mod:`cleaner.render.text`), or into Markdown that keeps
the article's shape (:mod:`cleaner.render.markdown`)."""

from cleaner.render.markdown import render_markdown
from cleaner.render.text import (
    NumberedLine,
    NumberedText,
    Renderer,
    render_kept,
    render_lines,
    render_results,
    render_text,
)

__all__ = [
    "NumberedLine",
    "NumberedText",
    "Renderer",
    "render_kept",
    "render_lines",
    "render_markdown",
    "render_results",
    "render_text",
]

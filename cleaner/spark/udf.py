"""pandas UDFs (Arrow batches) that clean a DataFrame column of pages: HTML or text, as strings or
bytes (bytes of HTML in any encoding, decoded as :meth:`cleaner.Cleaner.clean_html` decodes them).

A null page gives a null result, and so does a page that cannot be read (binary data): one bad row
does not fail the task. The model is loaded once per Python worker process (see
:mod:`cleaner.spark.worker`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import pandas as pd
from pyspark.sql.functions import pandas_udf
from pyspark.sql.types import ArrayType, IntegerType, StringType, StructField, StructType

from cleaner import DEFAULT_KEEP, Cleaner, InputError, LineResult, Options, Page
from cleaner.spark.worker import ModelRef, worker_cleaner

PageFormat = Literal["html", "text"]
PAGE_FORMATS: tuple[str, ...] = ("html", "text")
# Types as objects, not DDL strings: parsing DDL needs a running SparkContext, and the UDFs are
# made when first imported, maybe before any session exists.
TEXT_TYPE = StringType()
ARTICLE_TYPE = StructType(
    [
        StructField("text", StringType()),
        StructField("lines_kept", IntegerType()),
        StructField("lines_dropped", IntegerType()),
        StructField("labels", ArrayType(StringType())),
    ]
)
# Counts as a nullable integer column: a null page has no counts.
_COUNT_DTYPE = "Int32"
_NO_ARTICLE: tuple[None, None, None, None] = (None, None, None, None)


def cleaning_udf(
    input_format: PageFormat = "html",
    *,
    article: bool = False,
    keep: Sequence[str] = DEFAULT_KEEP,
    threshold: float | None = None,
    model: str | None = None,
) -> Any:
    """A pandas UDF that cleans a column of pages with these options.

    ``article=False``: the cleaned text (a string column). ``article=True``: a struct of the text,
    ``lines_kept``, ``lines_dropped`` and ``labels`` (the label of every non-blank line, in order;
    pages are classified one at a time, not in batches as for the text alone: slower on small pages). ``model`` is a
    model file every executor can read at that path, or the name of one shipped with
    ``SparkContext.addFile`` / ``--files``; None: the shipped models.

        >>> strict = cleaning_udf("html", threshold=0.8)
        >>> df = df.withColumn("article", strict("html"))
        >>> df.select("url", "article").write.parquet("articles")

    Raises :class:`~cleaner.OptionsError` for bad options (here, not in the tasks).
    """
    if input_format not in PAGE_FORMATS:
        raise ValueError(f"input_format must be one of {', '.join(PAGE_FORMATS)}, not {input_format!r}")
    options = Options(keep=tuple(keep), threshold=threshold, input_format=input_format).checked()
    ref = ModelRef(model)
    if article:

        def articles_of_pages(pages: pd.Series) -> pd.DataFrame:
            return article_frame(worker_cleaner(ref), pages, options)

        return pandas_udf(articles_of_pages, ARTICLE_TYPE)  # type: ignore[call-overload]

    def clean_pages(pages: pd.Series) -> pd.Series:
        return text_series(worker_cleaner(ref), pages, options)

    return pandas_udf(clean_pages, TEXT_TYPE)  # type: ignore[call-overload]


def text_series(cleaner: Cleaner, pages: pd.Series, options: Options) -> pd.Series:
    """The cleaned text of each page (None for a null or unreadable one), classified a batch at a time."""
    values = _values(pages)
    texts = iter(_texts(cleaner, [value for value in values if value is not None], options))
    return pd.Series([next(texts) if value is not None else None for value in values], dtype=object)


def _texts(cleaner: Cleaner, pages: list[str | bytes], options: Options) -> list[str | None]:
    try:
        return list(cleaner.clean_many(pages, options))
    except InputError:  # a page of the batch cannot be read: clean one by one, that one gives None
        return [_clean_one(cleaner, page, options) for page in pages]


def _clean_one(cleaner: Cleaner, page: str | bytes, options: Options) -> str | None:
    try:
        return cleaner.clean(page, options)
    except InputError:
        return None


def article_frame(cleaner: Cleaner, pages: pd.Series, options: Options) -> pd.DataFrame:
    """The columns of :data:`ARTICLE_TYPE` for each page (all null for a null or unreadable one)."""
    rows = [_article_row(cleaner, value, options) if value is not None else _NO_ARTICLE for value in _values(pages)]
    texts, kept, dropped, labels = zip(*rows) if rows else ((), (), (), ())
    return pd.DataFrame(
        {
            "text": pd.Series(texts, dtype=object),
            "lines_kept": pd.array(kept, dtype=_COUNT_DTYPE),
            "lines_dropped": pd.array(dropped, dtype=_COUNT_DTYPE),
            "labels": pd.Series(labels, dtype=object),
        }
    )


def _article_row(
    cleaner: Cleaner, page: str | bytes, options: Options
) -> tuple[str, int, int, list[str]] | tuple[None, None, None, None]:
    try:
        results = _classified(cleaner, page, options)
    except InputError:
        return _NO_ARTICLE
    lines = [result for result in results if not result.blank]
    kept = sum(result.kept for result in lines)
    text = Page(results, options.input_format).text()
    return text, kept, len(lines) - kept, [result.label for result in lines]


def _classified(cleaner: Cleaner, page: str | bytes, options: Options) -> list[LineResult]:
    # HTML through classify_html: the page is read exactly as clean_html reads it.
    if options.input_format == "html":
        return cleaner.classify_html(page, options, probabilities=False)
    return cleaner.process(page, options, probabilities=False).results


def _values(pages: pd.Series) -> list[str | bytes | None]:
    """The pages of a batch, None for nulls (which Arrow gives as None, pandas sometimes as NaN)."""
    return [value if isinstance(value, (str, bytes)) else None for value in pages]


# The UDFs cleaner.spark exports, made on first use: name -> (input format, struct or not, docstring).
UDFS: dict[str, tuple[PageFormat, bool, str]] = {
    "clean_html_udf": (
        "html",
        False,
        """Cleaned text of a column of HTML pages, as ``Cleaner.load().clean_html`` gives it.

    >>> from cleaner.spark import clean_html_udf
    >>> pages = spark.read.parquet("pages")             # a column "html"
    >>> pages.withColumn("text", clean_html_udf("html")).show()
    """,
    ),
    "clean_text_udf": (
        "text",
        False,
        """Cleaned text of a column of plain-text pages (a WET's, a text dump's), as ``Cleaner.clean`` gives it.

    >>> from cleaner.spark import clean_text_udf
    >>> pages = spark.read.json("wet-pages.jsonl")      # a column "content"
    >>> pages.withColumn("text", clean_text_udf("content")).show()
    """,
    ),
    "article_html_udf": (
        "html",
        True,
        """A struct per HTML page: ``text``, ``lines_kept``, ``lines_dropped``, ``labels`` (array of strings).

    >>> from cleaner.spark import article_html_udf
    >>> cleaned = pages.withColumn("article", article_html_udf("html"))
    >>> cleaned.select("url", "article.text", "article.lines_kept").show()
    """,
    ),
    "article_text_udf": (
        "text",
        True,
        """A struct per plain-text page: ``text``, ``lines_kept``, ``lines_dropped``, ``labels`` (array of strings).

    >>> from cleaner.spark import article_text_udf
    >>> cleaned = pages.withColumn("article", article_text_udf("content"))
    >>> cleaned.where("article.lines_kept > 0").select("article.labels").show()
    """,
    ),
}


def make_udf(name: str) -> Any:
    """The UDF ``name`` of :data:`UDFS` (default options and the shipped models), with its docstring."""
    input_format, article, doc = UDFS[name]
    made = cleaning_udf(input_format, article=article)
    made.__doc__ = doc  # help(clean_html_udf) shows what the UDF does, with its example
    return made

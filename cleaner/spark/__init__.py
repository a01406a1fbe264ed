"""cleaner on Apache Spark: a job that cleans crawl files, and pandas UDFs for DataFrame columns.

The job (``python -m cleaner.spark --help``) cleans every page of WARC and WET files -- local paths
or URIs of any file system Spark's Hadoop layer reads -- into JSON Lines part files, one record per
page as ``cleaner.crawl`` gives it, with the file's URI under ``"file"``::

    python -m cleaner.spark s3a://bucket/crawl/ --output s3a://bucket/cleaned --compress --master yarn

or from Python, with a session of your own::

    from cleaner.spark import JobSettings, run_job
    result = run_job(spark, ["crawl/"], "cleaned", JobSettings(threshold=0.6))
    print(result.stats.summary())

``--site-boilerplate`` (``JobSettings(site_boilerplate=True)``) also drops the lines each host repeats
on many of its pages: the files are read twice, see :mod:`cleaner.spark.site`.

The UDFs clean a column of HTML or text (see :func:`cleaning_udf` for options)::

    from cleaner.spark import clean_html_udf
    df.withColumn("text", clean_html_udf("html"))

``clean_html_udf``, ``clean_text_udf`` (string results), ``article_html_udf`` and
``article_text_udf`` (structs of text, counts and labels) need pandas and pyarrow, and are made on
first import. The model is loaded once per Python worker process. Needs pyspark (``pip install
'cleaner[spark]'``) and a Java runtime.

In local mode (``--master local[N]``, or none), the command runs Spark's workers with its own Python
unless ``PYSPARK_PYTHON`` says otherwise. On a cluster, the executors' Python needs cleaner installed
too (``PYSPARK_PYTHON``, or an
environment shipped with ``spark.archives``); ``python -m cleaner.spark --master yarn`` runs the
driver where it is started (client mode). ``s3a://`` needs Hadoop's S3A connector on Spark's
classpath (``--conf spark.jars.packages=org.apache.hadoop:hadoop-aws:<Spark's Hadoop version>``).
How a file's bytes reach its task, and what that costs in memory: :mod:`cleaner.spark.inputs`.
"""

from __future__ import annotations

from typing import Any

try:
    import pyspark  # noqa: F401 - checked here for a message that says what to install
except ImportError as exc:  # pragma: no cover - depends on the installation
    raise ImportError("cleaner.spark needs pyspark: pip install 'cleaner[spark]'") from exc

from cleaner.spark.inputs import READ_MODES, InputFile, list_inputs
from cleaner.spark.job import FILE_FIELD, GZIP_CODEC, JobResult, JobSettings, clean_partition, run_job
from cleaner.spark.worker import ModelRef, worker_cleaner

__all__ = [
    "FILE_FIELD",
    "GZIP_CODEC",
    "READ_MODES",
    "InputFile",
    "JobResult",
    "JobSettings",
    "ModelRef",
    "article_html_udf",
    "article_text_udf",
    "clean_html_udf",
    "clean_partition",
    "clean_text_udf",
    "cleaning_udf",
    "list_inputs",
    "run_job",
    "worker_cleaner",
]


# Made on first use (they need pandas and pyarrow, which the job does not): see __getattr__.
_UDF_NAMES = ("cleaning_udf", "clean_html_udf", "clean_text_udf", "article_html_udf", "article_text_udf")


def __getattr__(name: str) -> Any:
    if name not in _UDF_NAMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    try:
        from cleaner.spark import udf
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise ImportError(f"cleaner.spark.{name} needs pandas and pyarrow: pip install 'cleaner[spark]'") from exc
    if name == "cleaning_udf":
        return udf.cleaning_udf
    made = globals()[name] = udf.make_udf(name)
    return made

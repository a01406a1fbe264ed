"""``python -m cleaner.spark``: see :mod:`cleaner.spark.cli`."""

from cleaner.spark.cli import main

main()

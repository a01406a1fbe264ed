"""Batch runs of the ``clean`` command: many files, folders and JSON Lines, over several processes.

The work is planned (:mod:`~cleaner.cli.batch.plan`), cut into tasks (a file, a group of small files,
a chunk of JSON Lines records, or a chunk of a crawl file's records: :mod:`~cleaner.cli.batch.job`,
:mod:`~cleaner.cli.batch.crawl`) that run in this process or in worker processes
(:mod:`~cleaner.cli.batch.runner`), a bounded number at a time. With site boilerplate
(:mod:`~cleaner.cli.batch.site`), the batch runs twice: once to count lines, once to clean. Outcomes are taken in input
order, so the output does not depend on the number of processes. A task never raises: what goes wrong
with one input is reported on one line naming it, and the batch goes on (unless told to stop at the
first error). Outputs appear atomically: a file is written whole or not at all.
"""

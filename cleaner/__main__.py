"""``python -m cleaner``: the ``cleaner`` command."""

from cleaner.cli import main

main()

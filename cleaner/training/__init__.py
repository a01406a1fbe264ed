"""Training and evaluating models on labeled pages: what ``cleaner train``, ``cleaner evaluate`` and
``cleaner annotate`` run. Imports scikit-learn; cleaning a page never imports this package."""

from cleaner.training.dataset import Dataset, dataset_from_labeled
from cleaner.training.evaluate import Evaluation, evaluate
from cleaner.training.fit import SMOOTHING_GRID, THRESHOLD_GRID, cross_validate, train
from cleaner.training.labeled import LabeledPage, format_labeled, parse_labeled, read_labeled_pages, split_page

__all__ = [
    "SMOOTHING_GRID",
    "THRESHOLD_GRID",
    "Dataset",
    "Evaluation",
    "LabeledPage",
    "cross_validate",
    "dataset_from_labeled",
    "evaluate",
    "format_labeled",
    "parse_labeled",
    "read_labeled_pages",
    "split_page",
    "train",
]

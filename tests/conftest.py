"""Shared fixtures: the labeled seed pages, and small models trained on them inside the tests.

Tests never pin the probabilities of the shipped model (models/text.json is retrained as the
training data grows): whatever needs exact figures trains its own model here, deterministically.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner.api import Cleaner
from cleaner.features import TEXT_FEATURE_SETS, FeatureSettings
from cleaner.model import Model
from cleaner.training import Dataset, dataset_from_labeled, train
from cleaner.training.labeled import LabeledPage, read_labeled_pages

ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = ROOT / "training" / "seeds"
# A fixed timestamp makes model files of the same data byte-identical.
TRAINED_AT = "2000-01-01T00:00:00Z"


def train_model(pages: list[LabeledPage] | Dataset, *, cross_validate: bool = False, **kwargs) -> Model:
    """A text model trained on ``pages`` (fast without cross-validation: threshold 0.5, no smoothing)."""
    data = pages if isinstance(pages, Dataset) else dataset_from_labeled(pages)
    return train(
        data, FeatureSettings(TEXT_FEATURE_SETS), cross_validate=cross_validate, trained_at=TRAINED_AT, **kwargs
    )


def page_id(page: LabeledPage) -> str:
    """The seed's number: "000" .. "004"."""
    return page.source[:3]


@pytest.fixture(scope="session")
def train_text_model():
    """:func:`train_model`, for tests that train their own model on a subset or a variant of the seeds."""
    return train_model


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS_DIR


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    paths = sorted(SEEDS_DIR.glob("*.tsv"))
    assert len(paths) >= 5, "the seed pages moved?"
    return paths


@pytest.fixture(scope="session")
def seed_pages(seed_paths) -> list[LabeledPage]:
    return read_labeled_pages(seed_paths)


@pytest.fixture(scope="session")
def seeds_by_id(seed_pages) -> dict[str, LabeledPage]:
    return {page_id(page): page for page in seed_pages}


@pytest.fixture(scope="session")
def seed_summary(seed_pages) -> str:
    """How `cleaner train` and `cleaner evaluate` describe the seeds: "5 pages, 123 lines"."""
    lines = sum(1 for page in seed_pages for line in page.lines if line.strip())
    return f"{len(seed_pages)} pages, {lines} lines"


@pytest.fixture(scope="session")
def small_model(seed_pages) -> Model:
    """Trained on all seeds, without cross-validation."""
    return train_model(seed_pages)


@pytest.fixture(scope="session")
def cv_model(seed_pages) -> Model:
    """Trained on all seeds, with leave-one-outlet-out cross-validation (threshold and smoothing chosen)."""
    return train_model(seed_pages, cross_validate=True)


@pytest.fixture(scope="session")
def small_model_path(small_model, tmp_path_factory) -> Path:
    return small_model.save(tmp_path_factory.mktemp("model") / "small.json")


@pytest.fixture(scope="session")
def shipped_cleaner() -> Cleaner:
    """The shipped models (read-only for the tests: their decisions are not pinned here)."""
    return Cleaner.load()


@pytest.fixture(scope="session")
def small_cleaner(small_model) -> Cleaner:
    return Cleaner(small_model)


@pytest.fixture(scope="session")
def seed_text_files(seed_pages, tmp_path_factory) -> dict[str, Path]:
    """Each seed page's original text as a .txt file, by seed id. Read-only for the tests."""
    folder = tmp_path_factory.mktemp("pages")
    files = {}
    for page in seed_pages:
        path = folder / f"{page_id(page)}.txt"
        path.write_bytes(page.original_text().encode("utf-8"))
        files[page_id(page)] = path
    return files


@pytest.fixture(scope="session")
def ten_mb_line() -> bytes:
    """A single line of 10 MiB (the robustness tests' huge inputs)."""
    return b"x" * (10 * 1024 * 1024) + b"\n"


# Many short lines: 200,000 in the default run, a million with -m exhaustive (the same code paths,
# five times the time).
MANY = [200_000, pytest.param(1_000_000, marks=pytest.mark.exhaustive)]


@pytest.fixture(scope="session", params=MANY, ids=["200k", "1M"])
def many_lines(request) -> bytes:
    """A text of many short lines (the robustness tests' huge inputs)."""
    return b"".join(b"Ligne %d du fichier.\n" % (i % 1000) for i in range(request.param))

"""Training on labeled pages that are unusual but valid, and on settings that are not: a model that
trains loads, and what cannot train says why in one line."""

from __future__ import annotations

import math
import os
import threading
from dataclasses import replace

import pytest
from typer.testing import CliRunner

from cleaner.api import Cleaner
from cleaner.cli import app
from cleaner.errors import LabeledDataError, TrainingError
from cleaner.model import Model
from cleaner.options import Options
from cleaner.training import dataset_from_labeled
from cleaner.training.fit import MAX_SOURCE_CHARS
from cleaner.training.labeled import format_labeled, parse_labeled, read_labeled_pages

TEXT = Options(input_format="text")


def _relabeled(pages, old: str, new: str):
    return [replace(page, labels=tuple(new if label == old else label for label in page.labels)) for page in pages]


def test_pages_without_headings_train_a_model_that_keeps_body_and_loads(seed_pages, tmp_path, train_text_model):
    pages = _relabeled(seed_pages, "heading", "body")
    model = train_text_model(pages, cross_validate=True)
    assert model.keep == ("body",)
    path = model.save(tmp_path / "model.json")
    cleaner = Cleaner(Model.load(path))
    text = pages[0].original_text()
    assert cleaner.clean(text, TEXT).strip()


def test_pages_with_nothing_to_keep_do_not_train(seed_pages, train_text_model):
    pages = _relabeled(_relabeled(seed_pages, "heading", "nav"), "body", "related")
    with pytest.raises(TrainingError, match="nothing to keep"):
        train_text_model(pages)


@pytest.mark.parametrize("C", [0.0, -1.0, math.nan, math.inf])
def test_a_regularisation_that_is_not_a_positive_number_is_refused(seed_pages, C, train_text_model):
    with pytest.raises(TrainingError, match="C must be a positive number"):
        train_text_model(seed_pages, C=C)


def test_the_command_line_says_so_in_one_line(seeds_dir, tmp_path):
    result = CliRunner().invoke(app, ["train", str(seeds_dir), "-o", str(tmp_path / "m.json"), "--C", "0"])
    assert result.exit_code == 1
    assert result.stderr == "error: C must be a positive number, not 0.0\n"
    assert not (tmp_path / "m.json").exists()


def test_long_page_names_are_cut_in_the_model(seed_pages, train_text_model):
    pages = [replace(page, source=page.source + "x" * 5000) for page in seed_pages]
    sources = train_text_model(pages).info["training_data"]["sources"]
    assert sources and all(len(source) == MAX_SOURCE_CHARS for source in sources)


def test_an_outlet_name_with_a_line_break_is_refused_and_a_source_s_is_flattened(seed_pages):
    page = seed_pages[0]
    with pytest.raises(LabeledDataError, match="line break"):
        format_labeled(replace(page, outlet="my\noutlet"))
    text = format_labeled(replace(page, source="a\nb.txt"))
    assert parse_labeled(text).source == "a b.txt"


def test_labeled_pages_are_read_from_a_pipe(seed_paths, tmp_path):
    fifo = tmp_path / "page.tsv"
    os.mkfifo(fifo)
    data = seed_paths[0].read_bytes()
    writer = threading.Thread(target=lambda: fifo.write_bytes(data))
    writer.start()
    pages = read_labeled_pages([fifo])
    writer.join(timeout=30)
    assert len(pages) == 1 and pages[0].lines == read_labeled_pages([seed_paths[0]])[0].lines
    assert dataset_from_labeled(pages).lines

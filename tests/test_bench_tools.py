"""bench/stages.py, bench/rules/markup_trials.py and bench/rules/ablation.py: the time budget adds up, and a trial
or a part turned off changes the pipeline only while it runs."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from cleaner import Cleaner, Options, pipeline
from cleaner.decide.threshold import Decisions
from cleaner.features import feature_matrix
from cleaner.model import softmax
from cleaner.records import PageBatch

BENCH = Path(__file__).resolve().parents[1] / "bench"
CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"

POSTS = [
    "Which winter tyres would you fit on a small hatchback that mostly drives in town, and why?",
    "I fitted a set of cheap ones last year, and they were fine on wet roads, but poor on the ice.",
    "Spend a little more on the tyres than you planned: they are the only thing touching the road.",
]
THREAD = (
    "<html><head><title>Tyres for winter</title></head><body><nav><a href='/'>Home</a> <a href='/f'>Forum</a></nav>"
    + "".join(f"<div class='post'><div class='body'><p>{text}</p></div></div>" for text in POSTS)
    + "<footer>© 2024 Forum. All rights reserved.</footer></body></html>"
)


def _rules_script(name: str):
    """A script of bench/rules/, loaded as a module."""
    spec = importlib.util.spec_from_file_location(name, BENCH / "rules" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _markup_trials():
    return _rules_script("markup_trials")


@pytest.mark.skipif(not CORPORA.is_dir(), reason="the shared corpora are not there")
@pytest.mark.parametrize("mode", ["text", "html"])
def test_the_stages_add_up_to_the_whole_call(mode: str) -> None:
    found = subprocess.run(
        [sys.executable, str(BENCH / "stages.py"), "--mode", mode, "--pages", "4", "--rounds", "1"],
        capture_output=True, text=True, check=True, cwd=BENCH,
    )  # fmt: skip
    cells = [line.strip("| ").split(" | ") for line in found.stdout.splitlines() if line.startswith("| ")]
    rows = {row[0]: row[1] for row in cells if row[1].replace(".", "").isdigit()}
    stages = ["read", "features", "predict", "text view", "decide", "render"]
    assert all(float(rows[name]) >= 0 for name in stages)
    assert float(rows["sum of the stages"]) == pytest.approx(sum(float(rows[name]) for name in stages), abs=0.005)
    assert "shape, punctuation, patterns, links (one pass)" in rows and ("markup" in rows) == (mode == "html")


def test_a_trial_changes_the_decisions_only_while_it_runs() -> None:
    trials = _markup_trials()
    cleaner = Cleaner.load()
    before = [line.kept for line in cleaner.classify_html(THREAD)]
    with trials.applied(trials.BASELINE):
        assert [line.kept for line in cleaner.classify_html(THREAD)] == before
    keep_all = lambda decisions, batch: np.ones(len(batch.texts), dtype=bool)  # noqa: E731
    with trials.trial_applied(keep_all):
        assert all(line.kept for line in cleaner.classify_html(THREAD))
    with trials.shift_applied(1.0):  # every line of a page without an article over any threshold
        assert all(line.kept for line in cleaner.classify_html(THREAD))
    assert pipeline.decide_batch.__module__ == "cleaner.pipeline"
    assert [line.kept for line in cleaner.classify_html(THREAD)] == before


def test_same_shape_keeps_the_lines_made_as_a_kept_prose_line() -> None:
    trials = _markup_trials()
    cleaner = Cleaner.load()
    batch = PageBatch.of([cleaner.read_page(THREAD, Options(input_format="html"))])
    posts = [i for i, text in enumerate(batch.texts) if text in POSTS]
    assert len(posts) == 3
    kept = np.zeros(len(batch.texts), dtype=bool)
    kept[posts[0]] = True
    keep = np.full(len(batch.texts), 0.2)
    decisions = Decisions(np.zeros((len(batch.texts), 1)), keep, kept)
    found = trials.same_shape(0.1)(decisions, batch)
    assert found[posts].all() and found.sum() == 3
    assert not trials.same_shape(0.3)(decisions, batch)[posts[1:]].any()


def _ablation():
    return _rules_script("ablation")


def test_each_part_turned_off_changes_the_pipeline_only_while_it_runs() -> None:
    ablation = _ablation()
    cleaner = Cleaner.load()
    before = [(line.kept, line.keep_probability) for line in cleaner.classify_html(THREAD)]
    parts = ablation.pipeline_parts()
    patched = {(owner, name): getattr(owner, name) for patches in parts.values() for owner, name, _ in patches}
    for name, patches in parts.items():
        with ablation.turned_off(patches):
            assert all(getattr(owner, attr) is value for owner, attr, value in patches), name
            assert len(cleaner.classify_html(THREAD)) == len(before)
    assert all(getattr(owner, name) is original for (owner, name), original in patched.items())
    assert [(line.kept, line.keep_probability) for line in cleaner.classify_html(THREAD)] == before


def test_without_the_second_pass_the_first_pass_decides() -> None:
    ablation = _ablation()
    cleaner = Cleaner.load()
    model = cleaner.html_model
    batch = PageBatch.of([cleaner.read_page(THREAD, Options(input_format="html"))])
    matrix = feature_matrix(batch, model.settings.feature_sets, model.line_columns)
    with ablation.turned_off(ablation.pipeline_parts()["without the second pass (both models)"]):
        first = model.predict(matrix, batch)
    assert np.array_equal(first, softmax(model.logits(matrix)))
    assert not np.array_equal(first, model.predict(matrix, batch))


@pytest.mark.skipif(not CORPORA.is_dir(), reason="the shared corpora are not there")
def test_same_outputs_tells_two_trees_apart_when_their_outputs_differ(tmp_path: Path) -> None:
    root = BENCH.parent
    changed = tmp_path / "changed"
    shutil.copytree(root / "cleaner", changed / "cleaner", ignore=shutil.ignore_patterns("*.c", "__pycache__"))
    view = changed / "cleaner" / "model" / "text_view.py"
    source = view.read_text(encoding="utf-8")
    assert "TEXT_VIEW_WEIGHT = 0.35" in source
    view.write_text(source.replace("TEXT_VIEW_WEIGHT = 0.35", "TEXT_VIEW_WEIGHT = 0.9"), encoding="utf-8")

    def compare(before: Path, after: Path) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, str(BENCH / "same_outputs.py"), str(before), str(after), "--pages", "2"]
        return subprocess.run(command, capture_output=True, text=True, cwd=BENCH)

    same = compare(root, root)
    assert same.returncode == 0 and same.stdout.endswith("the same outputs\n"), same.stderr
    differ = compare(root, changed)
    assert differ.returncode == 1 and "outputs differ" in differ.stdout, differ.stderr
    assert "clean_html" in differ.stdout  # the HTML pages the text view reads changed

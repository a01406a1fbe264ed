"""The labeling workflow as a user runs it: pages labeled from HTML (annotate, train --html, evaluate),
labeled files as editors save them, and outputs that must not replace inputs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from cleaner.api import Cleaner
from cleaner.cli import app
from cleaner.errors import LabeledDataError
from cleaner.model import Model
from cleaner.options import Options
from cleaner.training import dataset_from_labeled, parse_labeled, read_labeled_pages
from cleaner.training.passes import with_second

HTML = Options(input_format="html")
STORIES = (
    "The council fitted heat pumps to a hundred old houses, and bills fell by a fifth in the first winter.",
    "Several residents complained about the noise of the fans, and a few asked for their old boilers back.",
    "Installers say demand has doubled this year, and prices have started to fall as more makers arrive.",
    "The trial will run for two more winters before the council decides whether to extend it further.",
)


def html_page(outlet: str, number: int) -> str:
    """A page of an outlet: its menu, a story (heading, paragraphs, a list), related links and a footer."""
    paragraphs = "".join(f"<p>{STORIES[(number + k) % len(STORIES)]}</p>" for k in range(3))
    return (
        f"<html><head><title>Story {number} of {outlet} - {outlet}</title></head><body>"
        f"<nav class='menu'><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></nav>"
        f"<article><h1>Story {number} of {outlet}</h1>{paragraphs}"
        "<ul><li>Bills fell in most of the homes.</li><li>Noise was the main complaint.</li></ul></article>"
        "<aside class='related'><h3>Related</h3><a href='/a'>Energy prices to rise again</a> "
        "<a href='/b'>Solar panels explained</a></aside>"
        f"<footer>Copyright {outlet} 2024. All rights reserved.</footer></body></html>"
    )


@pytest.fixture(scope="module")
def labeled_from_html(tmp_path_factory) -> Path:
    """Pages of four outlets, each annotated from its HTML file, the labeled pages beside the pages."""
    folder = tmp_path_factory.mktemp("outlets")
    runner = CliRunner()
    for outlet in ("one.example", "two.example", "three.example", "four.example"):
        for number in range(2):
            page = folder / f"{outlet}-{number}.html"
            page.write_text(html_page(outlet, number), encoding="utf-8")
            result = runner.invoke(
                app, ["annotate", str(page), "--outlet", outlet, "-o", str(page.with_suffix(".tsv"))]
            )
            assert result.exit_code == 0, result.output
    return folder


def test_a_page_annotated_from_html_names_its_page_and_has_its_lines(labeled_from_html):
    path = labeled_from_html / "one.example-0.html"
    labeled = read_labeled_pages([path.with_suffix(".tsv")])[0]
    assert labeled.html == path.name and labeled.html_path() == path
    assert list(labeled.lines) == [result.text for result in Cleaner.load().classify_html(path.read_bytes())]


def test_train_html_learns_from_the_markup_of_pages_labeled_from_html(labeled_from_html, tmp_path):
    result = CliRunner().invoke(app, ["train", "--html", str(labeled_from_html), "-o", str(tmp_path / "m.json")])
    assert result.exit_code == 0, result.output
    model = Model.load(tmp_path / "m.json")
    markup = [i for i, name in enumerate(model.feature_names) if name.startswith(("inside_", "tag_", "hint_"))]
    assert np.abs(model.coef[:, markup]).max() > 0  # every markup weight was 0: the lines had no markup
    # The pages' titles name their headings: the page-signal weights were 0 too (no page had signals).
    assert np.abs(model.coef[:, model.feature_names.index("matches_title")]).max() > 0
    evaluated = CliRunner().invoke(app, ["evaluate", str(labeled_from_html), "--model", str(tmp_path / "m.json")])
    assert evaluated.exit_code == 0, evaluated.output
    article = Cleaner(model).clean_html(html_page("five.example", 1), HTML)
    assert STORIES[1] in article


def test_the_lines_of_an_html_labeled_page_are_checked_against_its_page(labeled_from_html, tmp_path):
    labeled = (labeled_from_html / "two.example-0.tsv").read_text(encoding="utf-8")
    (tmp_path / "page.tsv").write_text(labeled.replace("# html: two.example-0.html", "# html: page.html"), "utf-8")
    changed = html_page("two.example", 0).replace("<footer>", "<p>A paragraph added since.</p><footer>")
    (tmp_path / "page.html").write_text(changed, encoding="utf-8")
    with pytest.raises(LabeledDataError, match="page.html: reads as .* label it again"):
        dataset_from_labeled(read_labeled_pages([tmp_path / "page.tsv"]), markup=True)
    (tmp_path / "page.html").unlink()
    with pytest.raises(LabeledDataError, match="cannot read the HTML page"):
        dataset_from_labeled(read_labeled_pages([tmp_path / "page.tsv"]))


def test_train_html_without_pages_labeled_from_html_says_so(seeds_dir, tmp_path):
    result = CliRunner().invoke(app, ["train", "--html", str(seeds_dir), "-o", str(tmp_path / "m.json")])
    assert result.exit_code == 1 and "labeled from HTML" in result.stderr
    assert not (tmp_path / "m.json").exists()
    shipped_html = Path(__file__).resolve().parents[1] / "models" / "html.json"
    result = CliRunner().invoke(app, ["evaluate", str(seeds_dir), "--model", str(shipped_html)])
    assert result.exit_code == 1 and "labeled from HTML" in result.stderr


def test_an_html_page_from_standard_input_cannot_be_labeled():
    result = CliRunner().invoke(app, ["annotate", "-"], input=html_page("one.example", 0))
    assert result.exit_code == 1 and "give its path" in result.stderr


# -- labeled files as editors save them, outputs that would replace inputs ----------------------------


@pytest.mark.parametrize("blank", ["-", "", "-  "])
def test_a_blank_row_trimmed_by_an_editor_is_still_blank(blank):
    text = "# cleaner labeled page v1\n# outlet: a\nheading\tA title\n" + blank + "\nbody\tA line of text.\n"
    page = parse_labeled(text)
    assert page.lines == ("A title", "", "A line of text.") and page.labels == ("heading", "-", "body")


def test_train_refuses_to_write_its_model_over_a_labeled_page(seed_paths, tmp_path):
    target = tmp_path / "page.tsv"
    target.write_bytes(seed_paths[0].read_bytes())
    result = CliRunner().invoke(app, ["train", str(tmp_path), str(seed_paths[1]), "-o", str(target)])
    assert result.exit_code == 1 and "would overwrite an input" in result.stderr
    assert target.read_bytes() == seed_paths[0].read_bytes()


def test_annotate_writes_utf8_whatever_the_locale(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text("Пример заголовка\n\nЭто первая строка статьи, достаточно длинная для текста.\n", "utf-8")
    env = dict(os.environ, PYTHONIOENCODING="cp1252", PYTHONUTF8="0")
    command = [sys.executable, "-m", "cleaner", "annotate", str(page)]
    result = subprocess.run(command, capture_output=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    labeled = parse_labeled(result.stdout.decode("utf-8"))
    assert labeled.lines[0] == "Пример заголовка"


def test_a_fold_model_keeps_the_labels_it_was_trained_to_keep(small_model):
    assert with_second(small_model, None, ("body",)).keep == ("body",)
    assert with_second(small_model, None).keep == small_model.keep


def test_evaluate_cross_validates_as_the_model_was_trained(seeds_dir, tmp_path):
    model = tmp_path / "m.json"
    trained = CliRunner().invoke(app, ["train", str(seeds_dir), "-o", str(model), "--C", "0.01"])
    assert trained.exit_code == 0, trained.output
    evaluated = CliRunner().invoke(app, ["evaluate", str(seeds_dir), "--model", str(model)])
    assert evaluated.exit_code == 0, evaluated.output

    def held_out(output: str) -> str:  # the characters row of the cross-validation
        return output.split("cross-validation")[1].splitlines()[1]

    assert held_out(evaluated.output) == held_out(trained.output)  # it cross-validated with C=1

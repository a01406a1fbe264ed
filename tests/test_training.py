"""Training, cross-validation by outlet, and the labeled TSV format."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from cleaner.api import Cleaner
from cleaner.errors import LabeledDataError, TrainingError
from cleaner.features import FeatureSettings
from cleaner.options import Options
from cleaner.records import LABELS
from cleaner.training import SMOOTHING_GRID, THRESHOLD_GRID, dataset_from_labeled, evaluate
from cleaner.training.labeled import (
    LabeledPage,
    format_labeled,
    parse_labeled,
    read_labeled,
    read_labeled_pages,
    split_page,
)
from cleaner.training.passes import MAX_CONTRIBUTION, bounded_weights, fit_first_arrays

TEXT = Options(input_format="text")
KEPT = ("body", "heading")
# What the model must drop on the outlets that carry it: listings, comment prompts, related-article blocks.
BLOCK_LABELS = ("classified", "comment", "related")


# -- training report ---------------------------------------------------------------------------


def test_training_reports_label_counts(cv_model, seed_pages):
    expected = Counter(label for page in seed_pages for label in page.labels if label != "-")
    data = cv_model.info["training_data"]
    assert data["label_counts"] == dict(expected)
    assert list(data["label_counts"]) == [label for label in LABELS if label in expected], "in LABELS order"
    assert data["lines"] == sum(expected.values())
    assert data["pages"] == len(seed_pages) and data["groups"] == len({page.outlet for page in seed_pages})


def test_training_reports_cross_validation(cv_model, seed_pages):
    cv = cv_model.info["cross_validation"]
    assert cv["split"] == "leave one outlet out"
    for figures in (cv["keep_chars"], cv["keep_lines"]):
        assert set(figures) == {"precision", "recall", "f1"}
        assert all(0.0 <= value <= 1.0 for value in figures.values())
    report = cv["labels"]
    n_lines = cv_model.info["training_data"]["lines"]
    assert sum(row["support"] for row in report["per_label"].values()) == n_lines
    assert np.array(report["confusion"]).shape == (len(report["labels"]),) * 2
    assert np.array(report["confusion"]).sum() == n_lines
    # The decision was chosen on held-out outlets, from the documented grids.
    assert cv_model.threshold in THRESHOLD_GRID.tolist()
    assert cv_model.smoothing in SMOOTHING_GRID


def test_training_without_cross_validation_keeps_default_decision(small_model):
    assert "cross_validation" not in small_model.info
    assert (small_model.threshold, small_model.smoothing) == (0.5, 0.0)


def test_evaluate_on_training_data(small_model, seed_pages):
    result = evaluate(small_model, dataset_from_labeled(seed_pages))
    assert result.keep_chars["recall"] > 0.95, "a model recalls the text it was trained on"
    assert set(result.labels["per_label"]) >= set(small_model.labels)


# -- leave one outlet out: the product promise -------------------------------------------------


@pytest.fixture(scope="module")
def held_out_results(seed_pages, train_text_model) -> dict[str, list]:
    """For each seed page, the results of a model trained on the other outlets only."""
    results = {}
    outlets = sorted({page.outlet for page in seed_pages})
    for outlet in outlets:
        model = train_text_model([page for page in seed_pages if page.outlet != outlet])
        assert model.info["training_data"]["groups"] == len(outlets) - 1
        cleaner = Cleaner(model)
        for page in seed_pages:
            if page.outlet == outlet:
                results[page.source[:3]] = cleaner.classify(page.original_text(), TEXT)
    return results


@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
def test_held_out_page_keeps_every_body_line(seed, seeds_by_id, held_out_results):
    page, results = seeds_by_id[seed], held_out_results[seed]
    assert [r.text for r in results] == list(page.lines)
    dropped = [(r.number, r.text) for r, label in zip(results, page.labels) if label == "body" and not r.kept]
    assert dropped == [], "article text silently dropped on an unseen outlet"


# Measured with the current features and training (models trained on the three other outlets):
#   002 (rtl.fr): the 8 comment lines and 2 of the 5 related lines are dropped; kept are the inline
#       "À lire aussi" block (lines 23-25), the two photo-caption meta lines (7, 8) and the author
#       line (9, at 0.53): 15 of 21 noise lines dropped. Three outlets teach little; the shipped
#       model (corpora + seeds) is held to the stricter checks of test_seeds.py.
#   003 (tendanceouest.com): all 28 classified and 3 comment lines dropped; kept are a meta caption (8)
#       and two nav prompts (48 "Galerie photos", 52 "Restez informé ..."): 42 of 45 noise lines dropped.
NOISE_DROPPED_FLOOR = {"002": 0.7, "003": 0.9}


@pytest.mark.parametrize("seed", ["002", "003"])
def test_held_out_page_drops_listings_comments_and_related_blocks(seed, seeds_by_id, held_out_results):
    page, results = seeds_by_id[seed], held_out_results[seed]
    by_label: dict[str, list[bool]] = {}
    for result, label in zip(results, page.labels):
        if label != "-":
            by_label.setdefault(label, []).append(not result.kept)
    for label in ("classified", "comment"):
        assert all(by_label.get(label, [])), f"{label} lines kept on held-out page {seed}"
    blocks = [dropped for label in BLOCK_LABELS for dropped in by_label.get(label, [])]
    assert sum(blocks) / len(blocks) >= 0.75
    noise = [dropped for label, flags in by_label.items() if label not in KEPT for dropped in flags]
    assert sum(noise) / len(noise) >= NOISE_DROPPED_FLOOR[seed]


# -- errors ------------------------------------------------------------------------------------


def test_training_with_a_single_label_raises(seed_pages, train_text_model):
    only_body = [
        LabeledPage(p.outlet, p.source, p.lines, tuple("body" if label != "-" else "-" for label in p.labels))
        for p in seed_pages
    ]
    with pytest.raises(TrainingError, match="two labels"):
        train_text_model(only_body)


def test_training_without_lines_raises(train_text_model):
    with pytest.raises(TrainingError):
        train_text_model([LabeledPage("a", "a.txt", ("", "  "), ("-", "-"))])


def test_cross_validation_fold_with_a_single_label(train_text_model):
    article = "Une phrase assez longue, avec des mots et un point final pour faire un vrai paragraphe."
    pages = [
        LabeledPage("a", "a.txt", (article, article + " Encore."), ("body", "body")),
        LabeledPage("b", "b.txt", ("Accueil | Sport | Culture", article), ("nav", "body")),
    ]
    try:
        model = train_text_model(pages, cross_validate=True)
    except TrainingError:
        return  # a clear refusal is fine too
    assert set(model.labels) == {"body", "nav"}


def _labeled_file(tmp_path, rows: list[str], name="page.tsv"):
    path = tmp_path / name
    header = [
        "# cleaner labeled page v1",
        "# outlet: example.com",
        "# source: page.txt",
        "# newline: \\n",
        "# final-newline: yes",
    ]
    path.write_text("\n".join(header + rows) + "\n", encoding="utf-8")
    return path


def test_unknown_label_names_file_and_line(tmp_path):
    path = _labeled_file(tmp_path, ["heading\tTitre", "-\t", "body\tUn paragraphe.", "advert\tAchetez !"])
    with pytest.raises(LabeledDataError, match=rf"{path}:9: unknown label 'advert'"):
        read_labeled(path)
    with pytest.raises(LabeledDataError, match=r"page\.tsv:9"):
        read_labeled_pages([tmp_path])


def test_missing_tab_names_file_and_line(tmp_path):
    path = _labeled_file(tmp_path, ["body\tUn paragraphe.", "body sans tabulation"])
    with pytest.raises(LabeledDataError, match=rf"{path}:7: expected 'label<TAB>line'"):
        read_labeled(path)


def test_labeled_errors(tmp_path):
    with pytest.raises(LabeledDataError, match="no such file"):
        read_labeled_pages([tmp_path / "missing"])
    with pytest.raises(LabeledDataError, match="no labeled pages"):
        read_labeled_pages([tmp_path])
    (tmp_path / "bad.tsv").write_bytes(b"\xff\xfe\x00binary")
    with pytest.raises(LabeledDataError, match="bad.tsv"):
        read_labeled(tmp_path / "bad.tsv")


def test_labeled_file_with_a_bom(tmp_path, seed_paths):
    path = tmp_path / "bom.tsv"
    path.write_bytes(b"\xef\xbb\xbf" + seed_paths[0].read_bytes())
    assert read_labeled(path) == read_labeled(seed_paths[0])


def test_blank_lines_get_the_blank_label():
    page = parse_labeled("body\tUn.\nbody\t   \n-\t\n")
    assert page.labels == ("body", "-", "-")
    assert page.lines == ("Un.", "   ", "")


def test_page_without_header_takes_its_folder_as_outlet(tmp_path):
    folder = tmp_path / "lemonde.fr"
    folder.mkdir()
    (folder / "p.tsv").write_text("body\tUn.\nnav\tMenu\n", encoding="utf-8")
    page = read_labeled(folder / "p.tsv")
    assert page.outlet == "lemonde.fr" and page.labels == ("body", "nav")


# -- the TSV round trip ------------------------------------------------------------------------


def test_every_seed_round_trips(seed_paths):
    for path in seed_paths:
        page = read_labeled(path)
        assert format_labeled(page) == path.read_text(encoding="utf-8"), path.name
        text = page.original_text()
        assert split_page(text) == (list(page.lines), page.newline, page.final_newline), path.name
        assert text.endswith("\n") == page.final_newline
        again = parse_labeled(format_labeled(page), name=path.name)
        assert again == page


@pytest.mark.parametrize(
    "text",
    [
        "Titre\n\nUn paragraphe.\n",
        "Titre\r\n\r\nUn paragraphe.\r\nFin",
        "Titre\r\rUn paragraphe.\r",
        "",
        "\n",
        "sans fin de ligne",
        "tab\tdans la ligne\n  indentée  \n\n\n",
        "# ressemble à un en-tête\nbody\tpas un label\n",
    ],
    ids=["lf", "crlf", "cr", "empty", "newline", "no-final", "tabs-spaces", "header-like"],
)
def test_labeled_format_round_trips_text(text):
    lines, newline, final_newline = split_page(text)
    labels = tuple("-" if not line.strip() else "body" for line in lines)
    page = LabeledPage("example.com", "p.txt", tuple(lines), labels, newline, final_newline)
    assert page.original_text() == text
    assert parse_labeled(format_labeled(page)) == page


def test_extend_keeps_each_line_emphasis(seeds_dir):
    from cleaner.training import Dataset
    from cleaner.training.dataset import line_weights

    seeds = dataset_from_labeled(read_labeled_pages([seeds_dir]))
    combined = Dataset()
    combined.extend(seeds, emphasis=25.0)
    combined.extend(seeds)
    n = len(seeds.lines)
    assert len(combined.emphasis) == len(combined.lines) == 2 * n
    assert combined.emphasis[:n] == [25.0] * n and combined.emphasis[n:] == [1.0] * n
    weights = line_weights(combined)
    assert weights[:n] == pytest.approx(25.0 * weights[n:])
    assert {line.page for line in combined.lines[n:]} == {
        page + len(seeds.sources) for page in range(len(seeds.sources))
    }


def test_a_second_pass_is_learnt_from_enough_outlets(seed_pages):
    """With pages of five outlets (each seed page taken as its own), every fold learns from kept and
    dropped lines: the model learns a second pass, and fits converge without warnings."""
    import dataclasses
    import warnings

    from cleaner.features import TEXT_FEATURE_SETS, FeatureSettings
    from cleaner.training import train

    pages = [dataclasses.replace(page, outlet=page.source) for page in seed_pages]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = train(
            dataset_from_labeled(pages), FeatureSettings(TEXT_FEATURE_SETS), trained_at="2000-01-01T00:00:00Z"
        )
    assert model.second is not None
    assert model.info["cross_validation"]["keep_chars"]["f1"] > 0.8


def test_the_threshold_is_chosen_on_a_plateau_not_a_spike():
    # One line per grid step, each its own page (smoothing leaves them as they are): keeping the lines
    # at or above the i-th threshold scores curve[i].
    from cleaner.training.fit import choose_threshold

    keep = THRESHOLD_GRID.astype(float)
    curve = np.full(len(keep), 0.5)
    curve[5] = 0.9  # a lone spike: the bare maximum
    curve[20:29] = 0.88  # a plateau
    threshold, smoothing, scores = choose_threshold(
        keep, list(range(len(keep) + 1)), lambda kept: {"f1": float(curve[len(keep) - int(kept.sum())])}
    )
    assert threshold in THRESHOLD_GRID[20:29].tolist()
    assert scores["f1"] == 0.88
    assert smoothing == SMOOTHING_GRID[0]


def test_the_smoothing_is_chosen_among_those_given():
    from cleaner.training.fit import choose_threshold

    keep = np.array([0.9, 0.2, 0.9, 0.2, 0.9])

    def score(kept: np.ndarray) -> dict[str, float]:
        return {"f1": float(kept.sum())}

    # Every smoothing scores alike (all kept at the lowest thresholds): the least of the grid wins...
    assert choose_threshold(keep, [0, 5], score)[1] == SMOOTHING_GRID[0]
    # ... unless one smoothing is given, as the corpus build gives text models theirs.
    assert choose_threshold(keep, [0, 5], score, (0.2,))[1] == 0.2


def test_the_shipped_text_model_has_the_corpus_build_s_text_smoothing():
    from cleaner.api import default_model_path
    from cleaner.corpus.build import TEXT_SMOOTHING
    from cleaner.model import Model

    assert TEXT_SMOOTHING in SMOOTHING_GRID
    assert Model.load(default_model_path()).smoothing == TEXT_SMOOTHING


def test_a_build_without_a_corpus_leaves_out_its_sites_pages_in_the_others_too():
    from cleaner.corpus.build import without_corpora
    from cleaner.corpus.pages import CorpusPage

    def page(ident: str, corpus: str, site: str) -> CorpusPage:
        return CorpusPage(ident, corpus, site, None, "<p>text</p>", "text")

    pages = [page("a1", "a", "one.example"), page("a2", "a", "two.example"), page("b1", "b", "two.example")]
    pages += [page("b2", "b", "three.example"), page("c1", "c", "one.example"), page("c2", "c", "four.example")]
    assert [p.id for p in without_corpora(pages, {"a"})] == ["b2", "c2"]
    assert [p.id for p in without_corpora(pages, {"a", "c"})] == ["b2"]
    assert [p.id for p in without_corpora(pages, set())] == [p.id for p in pages]


def test_bounded_weights_caps_each_input_s_contribution_to_any_logit():
    rng = np.random.default_rng(0)
    coef = rng.normal(size=(4, 6))
    coef[:, 2] = [6.0, -2.0, -2.0, -2.0]  # 6 from its mean over the labels: 24 at a clip of 4
    bounded = bounded_weights(coef, 4.0, 8.0)
    centred = bounded - bounded.mean(axis=0)
    assert np.abs(centred).max(axis=0).max() * 4.0 <= 8.0 + 1e-9
    assert np.allclose(centred[:, 2] * 4.0, [8.0, -8 / 3, -8 / 3, -8 / 3])  # scaled down, in the same direction
    over = np.abs(coef - coef.mean(axis=0)).max(axis=0) * 4.0 > 8.0
    assert np.array_equal(bounded[:, ~over], coef[:, ~over])  # the others as they were


def test_a_first_pass_fit_keeps_every_input_under_the_bound():
    # A yes/no input set on a few lines, all of one label: the fit alone would trust it far past the bound.
    rng = np.random.default_rng(0)
    n = 2000
    matrix = np.column_stack((np.zeros(n), rng.normal(size=(n, 3)), np.zeros(n)))
    y = np.where(matrix[:, 1] > 0, "body", "nav")
    rare = rng.choice(n, 12, replace=False)
    matrix[rare, 4], y[rare] = 1.0, "meta"
    settings = FeatureSettings(("shape",), neighbours=0, window=0)
    rows = np.ones(n, dtype=bool)
    model = fit_first_arrays(matrix, y, np.ones(n), rows, settings, ("body", "meta", "nav"), 100.0)
    centred = model.coef - model.coef.mean(axis=0)
    largest = np.abs(centred).max(axis=0) * model.scaling.clip
    assert largest.max() <= MAX_CONTRIBUTION + 1e-9
    assert largest[-1] == pytest.approx(MAX_CONTRIBUTION)  # the rare input, cut to the bound


def test_a_second_pass_keeps_every_input_but_the_first_pass_s_under_the_bound(seed_pages, monkeypatch):
    """A second-pass fit whose weights would go past the bound (here made to, by a fit that returns
    them a hundred times over): every input but the first pass's own log-odds is cut to it."""
    import dataclasses

    from cleaner.features import TEXT_FEATURE_SETS
    from cleaner.features.stacking import FIRST_PASS_INPUT
    from cleaner.training import passes, train

    fit = passes.fit_logistic

    def overconfident(X, y, weights, C, labels):
        coef, intercept = fit(X, y, weights, C, labels)
        return (coef * 100, intercept) if tuple(labels) == ("drop", "keep") else (coef, intercept)

    monkeypatch.setattr(passes, "fit_logistic", overconfident)
    pages = [dataclasses.replace(page, outlet=page.source) for page in seed_pages]
    model = train(dataset_from_labeled(pages), FeatureSettings(TEXT_FEATURE_SETS), cross_validate=False)
    assert model.second is not None
    contributions = np.abs(model.second.coef) * model.second.scaling.clip
    own = model.second_names.index(FIRST_PASS_INPUT)
    assert contributions[own] > MAX_CONTRIBUTION  # the first pass's own log-odds is left as fitted
    assert np.delete(contributions, own).max() == pytest.approx(MAX_CONTRIBUTION)

"""The cleaning path gives the results of the plain ones: features without scikit-learn are the
transformers', results per line are the model's on Line objects, batches of pages are each page alone,
and `clean` does not import scikit-learn at all."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from cleaner.api import Cleaner
from cleaner.decide.threshold import smooth
from cleaner.errors import BinaryInputError
from cleaner.features import HTML_FEATURE_SETS, TEXT_FEATURE_SETS, FeatureSettings, line_feature_names
from cleaner.features.registry import lines_batch
from cleaner.features.transformers import ContextFeatures, LineFeatures
from cleaner.model import Model, Scaling
from cleaner.model.regression import keep_probability
from cleaner.options import Options
from cleaner.read import read_html, read_text, segment_html
from cleaner.read.lines import split_lines
from cleaner.records import Line, PageBatch
from cleaner.render import render_results as render
from cleaner.render import render_text
from cleaner.results import LineResult
from cleaner.training import Dataset, dataset_from_labeled

SUMS = Path(__file__).parent / "data" / "seed_feature_sums.json"
CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"


def sklearn_features(lines: list[Line], settings: FeatureSettings) -> np.ndarray:
    """The feature matrix through the scikit-learn transformers (the training path)."""
    line_features = LineFeatures(feature_sets=settings.feature_sets).fit(lines)
    context = ContextFeatures(neighbours=settings.neighbours, window=settings.window, page_column=0)
    matrix = line_features.transform(lines)
    return context.fit(matrix).transform(matrix)


def model_for(settings: FeatureSettings) -> Model:
    """A model whose raw features are what the cleaning path computes (weights do not matter here)."""
    n = len(settings.feature_names())
    base = len(line_feature_names(tuple(settings.feature_sets))) - 1
    labels = ("body", "nav")
    return Model(settings, labels, Scaling(np.zeros(base), np.ones(base), np.inf), np.zeros((2, n)), np.zeros(2))


def raw_features(model: Model, lines: list[Line]) -> np.ndarray:
    """The input of ``model`` (whose scaling does nothing: mean 0, scale 1, no clip)."""
    return model.features(model.line_matrix(lines))


def bitwise_equal(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and a.dtype == b.dtype and bool(np.array_equal(a.view(np.uint64), b.view(np.uint64)))


@pytest.fixture(scope="module")
def seed_data(seed_pages) -> Dataset:
    return dataset_from_labeled(seed_pages)


@pytest.mark.parametrize("feature_sets", [TEXT_FEATURE_SETS, HTML_FEATURE_SETS], ids=["text", "html"])
def test_cleaning_path_features_are_the_transformers_bit_for_bit(seed_data, feature_sets):
    settings = FeatureSettings(feature_sets)
    reference = sklearn_features(seed_data.lines, settings)
    assert bitwise_equal(raw_features(model_for(settings), seed_data.lines), reference)
    # One page at a time, as cleaning sees them.
    model = model_for(settings)
    for page in sorted({line.page for line in seed_data.lines}):
        lines = [line for line in seed_data.lines if line.page == page]
        assert bitwise_equal(raw_features(model, lines), sklearn_features(lines, settings))


def test_feature_names_are_the_transformers(seed_data):
    for feature_sets in (TEXT_FEATURE_SETS, HTML_FEATURE_SETS):
        settings = FeatureSettings(feature_sets, neighbours=1, window=3)
        line_features = LineFeatures(feature_sets=feature_sets).fit([])
        context = ContextFeatures(neighbours=1, window=3, page_column=0).fit(
            np.zeros((1, len(line_features.feature_names_)))
        )
        assert settings.feature_names() == list(context.get_feature_names_out(line_features.get_feature_names_out()))


def test_seed_features_are_unchanged(seed_data):
    """Column sums of the seeds' feature matrices, recorded before the features moved to page_features."""
    recorded = json.loads(SUMS.read_text(encoding="utf-8"))
    for name, feature_sets in (("text", TEXT_FEATURE_SETS), ("html", HTML_FEATURE_SETS)):
        matrix = sklearn_features(seed_data.lines, FeatureSettings(feature_sets))
        assert matrix.shape[0] == recorded["rows"][name]
        np.testing.assert_allclose(matrix.sum(axis=0), recorded["sums"][name], rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose((matrix * matrix).sum(axis=0), recorded["squares"][name], rtol=1e-9, atol=1e-9)


@pytest.mark.skipif(not CORPORA.is_dir(), reason="the shared corpora are not there")
def test_corpus_pages_features_are_the_transformers_bit_for_bit():
    from cleaner.corpus.pages import iter_corpus_pages

    for page in iter_corpus_pages(CORPORA, limit=2, raw=True):
        blocks = segment_html(page.html)
        text = read_text(render_text(blocks))
        text_lines = list(map(Line, text.numbers, text.texts))
        for lines, feature_sets in ((text_lines, TEXT_FEATURE_SETS), (blocks, HTML_FEATURE_SETS)):
            settings = FeatureSettings(feature_sets)
            assert bitwise_equal(raw_features(model_for(settings), lines), sklearn_features(lines, settings)), page.id


def test_empty_page_with_explain():
    """The explained path on a page without text (the transformers refused an empty matrix)."""
    cleaner = Cleaner.load()
    assert cleaner.classify("", Options(input_format="text", explain=True)) == []
    assert [r.label for r in cleaner.classify("\n \n", Options(input_format="text", explain=True))] == ["-", "-"]


# -- a result per line: the pipeline against the plain computation on Line objects ---------------------


def reference_classify(text: str, model: Model, options: Options = Options()) -> list[LineResult]:
    """The results of a text page computed plainly: Line objects, the model's probabilities on them,
    per-line numpy scalars and dicts."""
    options = options.checked()
    lines = [Line(number, line) for number, line in enumerate(split_lines(text), start=1)]
    content = [line for line in lines if line.text.strip()]
    probabilities = model.predict_proba(content)
    keep = keep_probability(probabilities, model.labels, options.keep)
    keep = smooth(keep, model.smoothing if options.smoothing is None else options.smoothing)
    threshold = model.threshold if options.threshold is None else options.threshold
    best_labels = probabilities.argmax(axis=1).tolist() if content else []
    explained = (
        model.explain(model.line_matrix(content), lines_batch(content), best_labels)
        if options.explain and content
        else None
    )
    decided: dict[int, LineResult] = {}
    for row, line in enumerate(content):
        best = int(probabilities[row].argmax())
        decided[line.number] = LineResult(
            number=line.number,
            text=line.text,
            label=model.labels[best],
            keep_probability=round(float(keep[row]), 4),
            kept=bool(keep[row] >= threshold),
            probabilities={label: round(float(p), 4) for label, p in zip(model.labels, probabilities[row])},
            explanation=explained[row] if explained is not None else (),
        )
    return [decided.get(line.number) or LineResult(line.number, line.text, "-", 0.0, False) for line in lines]


OPTIONS = [
    Options(),
    Options(explain=True),
    Options(keep=("body",), threshold=0.3),
    Options(keep=("body", "heading", "meta"), smoothing=0.5),
    Options(threshold=1.0),
]


@pytest.mark.parametrize("options", OPTIONS, ids=["default", "explain", "body", "wider", "threshold1"])
def test_classify_gives_the_plain_results(seed_pages, small_model, cv_model, options):
    shipped = Cleaner.load().text_model
    options = Options(options.keep, options.threshold, options.smoothing, options.explain, "text")
    for model in (small_model, cv_model, shipped):
        cleaner = Cleaner(model)
        for page in seed_pages:
            expected = reference_classify(page.original_text(), model, options)
            got = cleaner.classify(page.original_text(), options)
            assert got == expected
            assert all(type(r.kept) is bool and type(r.keep_probability) is float for r in got)
            # Without the per-label dicts: the same decisions.
            cheap = cleaner.process(page.original_text(), options, probabilities=False).results
            assert [(r.number, r.label, r.keep_probability, r.kept, r.explanation) for r in cheap] == [
                (r.number, r.label, r.keep_probability, r.kept, r.explanation) for r in expected
            ]
            assert all(r.probabilities == {} for r in cheap)


def test_clean_and_classify_agree(seed_pages, small_cleaner):
    """clean() renders the kept lines without a result per line: the same text as classify() rendered."""
    pages = [page.original_text() for page in seed_pages]
    if CORPORA.is_dir():
        from cleaner.corpus.pages import iter_corpus_pages

        pages += [render_text(segment_html(page.html)) for page in iter_corpus_pages(CORPORA, limit=8, raw=True)]
    pages += ["", "\n\n", " \n\ta\n", "une ligne sans fin", "a\r\n\r\nb\rc\n\n\n"]
    for cleaner in (small_cleaner, Cleaner.load()):
        for options in (Options(input_format="text"), Options(input_format="text", threshold=0.1, smoothing=0.0)):
            for page in pages:
                assert cleaner.clean(page, options) == render(cleaner.classify(page, options))


@pytest.mark.skipif(not CORPORA.is_dir(), reason="the shared corpora are not there")
def test_html_columns_give_the_features_and_text_of_the_lines(small_cleaner):
    """clean_html() featurizes the segmenter's columns, not Line and Markup objects: the same matrix, the
    same text; and the columns turn back into exactly the lines segment_html gives."""
    from cleaner.corpus.pages import iter_corpus_pages
    from cleaner.features import feature_matrix, line_feature_matrix, line_feature_names
    from cleaner.records import MarkupColumns

    names = line_feature_names(HTML_FEATURE_SETS)
    shipped = Cleaner.load()
    html = Options(input_format="html")
    for page in iter_corpus_pages(CORPORA, limit=12, raw=True):
        blocks = read_html(page.html)
        lines = segment_html(page.html)
        assert list(map(Line, blocks.numbers, blocks.texts, blocks.markup.marks())) == lines
        by_columns = feature_matrix(
            PageBatch.one(blocks.texts, blocks.numbers, blocks.markup), HTML_FEATURE_SETS, len(names)
        )
        assert bitwise_equal(by_columns, line_feature_matrix(lines, HTML_FEATURE_SETS, len(names)))
        again = MarkupColumns.of(blocks.markup.marks(), blocks.markup.ancestor_shares.shape[1])
        assert again.marks() == blocks.markup.marks()
        for cleaner in (small_cleaner, shipped):
            assert cleaner.clean_html(page.html, html) == render(cleaner.classify_html(page.html, html))


def _batch_pages() -> list[tuple[list[str], list[int], object]]:
    """Pages as (texts, numbers, markup): seeds and corpus pages as text and as HTML blocks, and pages
    that lower-case to another length ("İ"), fold otherwise than they lower-case ("Σ"), hold one
    line or none."""
    root = Path(__file__).resolve().parents[2] / "shared" / "seeds"
    texts = [path.read_text(encoding="utf-8") for path in sorted(root.glob("*.txt"))]
    texts += ["İstanbul | Menu\nUn paragraphe assez long pour être un texte, avec des mots.\n", "Seul.\n"]
    texts += ["\n\n", "ΟΔΥΣΣΕΑΣ\nΟΔΥΣΣΕΑΣ Menu\nΟΔΥΣΣΕΑΣ\n", "Seul.\n"]
    pages: list[tuple[list[str], list[int], object]] = []
    for text in texts:
        page = read_text(text)
        pages.append((page.texts, page.numbers, None))
    if CORPORA.is_dir():
        from cleaner.corpus.pages import iter_corpus_pages

        for page in iter_corpus_pages(CORPORA, limit=6, raw=True):
            blocks = read_html(page.html)
            pages.append((blocks.texts, blocks.numbers, blocks.markup))
    return pages


@pytest.mark.parametrize("budget", [1, 5_000, 10**9], ids=["page-by-page", "small-batches", "one-batch"])
@pytest.mark.parametrize("with_markup", [False, True], ids=["text", "html"])
def test_pages_featurized_together_get_the_rows_they_get_alone(monkeypatch, budget, with_markup):
    """A batch gives each page the rows it gets alone, bit for bit: the line features are computed
    for all its lines at once, those read within a page (position, repetition, page context) with
    the page's bounds, and lines that lower-case to another length keep their place."""
    from cleaner.features import registry as pf
    from cleaner.records import MarkupColumns

    pages = [page for page in _batch_pages() if (page[2] is not None) == with_markup]
    if not pages:
        pytest.skip("no HTML pages without the shared corpora")
    feature_sets = HTML_FEATURE_SETS if with_markup else TEXT_FEATURE_SETS
    width = len(pf.line_feature_names(feature_sets))
    alone = []
    for index, (texts, numbers, markup) in enumerate(pages):
        rows = pf.feature_matrix(PageBatch.one(texts, numbers, markup), feature_sets, width)
        rows[:, 0] = index
        alone.append(rows)
    monkeypatch.setattr(pf, "BATCH_CHARS", budget)
    bounds = np.cumsum([0] + [len(texts) for texts, _, _ in pages])
    batch = PageBatch(
        [text for texts, _, _ in pages for text in texts],
        [number for _, numbers, _ in pages for number in numbers],
        MarkupColumns.concat([markup for _, _, markup in pages]) if with_markup else None,
        bounds.tolist(),
    )
    together = pf.feature_matrix(batch, feature_sets, width)
    assert bitwise_equal(together, np.vstack(alone))


def test_clean_many_is_clean_of_each_page(small_cleaner, seed_pages, monkeypatch):
    from cleaner import api

    pages: list[str | bytes] = [page.original_text() for page in seed_pages]
    pages += [pages[0].encode("utf-8"), b"Un texte \xff abim\xe9.\n", "", "\n\n"]
    pages += ["<html><body><p>Un paragraphe assez long pour \u00eatre un texte, avec des mots.</p>"
              "<ul><li>Accueil</li><li>Sport</li></ul></body></html>"]  # fmt: skip
    for cleaner in (small_cleaner, Cleaner.load()):
        for budget in (1, 10**9):
            monkeypatch.setattr(api, "BATCH_CHARS", budget)
            assert list(cleaner.articles(pages)) == [cleaner.article(page) for page in pages]
            assert list(cleaner.clean_many(pages)) == [cleaner.clean(page) for page in pages]
    with pytest.raises(BinaryInputError):
        list(small_cleaner.clean_many([pages[0], b"\x89PNG\r\n\x1a\n" + bytes(200)]))


def test_lines_with_and_without_markup_in_one_page():
    """A page mixing lines with and without markup: has_markup tells them apart, the rest reads zeros."""
    from cleaner.features import line_feature_matrix, line_feature_names
    from cleaner.records import Markup

    names = line_feature_names(HTML_FEATURE_SETS)
    markup = Markup("p", 0.5, 3, frozenset({"article"}), frozenset({"comment"}), 120, (0.9, 0.2), True)
    lines = [Line(1, "Un titre", None), Line(2, "Un paragraphe.", markup), Line(3, "Fin", None)]
    matrix = line_feature_matrix(lines, HTML_FEATURE_SETS, len(names))
    column = {name: matrix[:, names.index(name)].tolist() for name in names}
    assert column["has_markup"] == [0.0, 1.0, 0.0]
    assert column["link_density"] == [0.0, 0.5, 0.0]
    assert column["tag_paragraph"] == [0.0, 1.0, 0.0]
    assert column["inside_article"] == [0.0, 1.0, 0.0]
    assert column["hint_comment"] == [0.0, 1.0, 0.0]
    assert column["ancestor_share_0"] == [0.0, 0.9, 0.0]
    assert column["ancestor_share_1"] == [0.0, 0.2, 0.0]
    assert column["ancestor_share_2"] == [0.0, 0.0, 0.0]
    assert column["in_main"] == [0.0, 1.0, 0.0]


# -- start-up -----------------------------------------------------------------------------------------


def test_cleaning_imports_neither_sklearn_nor_metadata_extraction(tmp_path):
    # A text file loads neither the HTML parser nor the metadata package; an HTML page then loads lxml,
    # and still no scikit-learn or metadata extraction.
    page = tmp_path / "page.txt"
    page.write_text(
        "Accueil | Sport\n\nUn paragraphe assez long pour être un vrai texte, avec des mots.\n", encoding="utf-8"
    )
    script = (
        "import sys\n"
        f"sys.argv = ['clean', {str(page)!r}]\n"
        "from cleaner.cli import clean_main\n"
        "try:\n    clean_main()\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'lxml' or m.startswith('cleaner.metadata')))\n"
        "from cleaner import clean\n"
        "clean('<html><body><p>Un paragraphe, assez long pour être un vrai texte.</p></body></html>')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sklearn', 'scipy')))\n"
        "print(sorted(m for m in sys.modules if m in ('cleaner.document', 'cleaner.metadata.document')))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-3:] == ["[]", "[]", "[]"]


def test_lazy_names_resolve():
    import cleaner
    import cleaner.metadata

    assert cleaner.Document.__name__ == "Document"
    assert "Document" in dir(cleaner)
    for name in cleaner.metadata.__all__:
        assert getattr(cleaner.metadata, name).__name__ == name
    assert sorted(cleaner.metadata.__all__) == sorted(cleaner.metadata._EXPORTS)
    with pytest.raises(AttributeError):
        cleaner.metadata.missing  # noqa: B018
    with pytest.raises(AttributeError):
        cleaner.missing  # noqa: B018

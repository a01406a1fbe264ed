"""The library API: clean, classify, Cleaner and Options."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from cleaner import Cleaner, Options, classify, clean
from cleaner.errors import CleanerError, ModelError, OptionsError
from cleaner.features import HTML_FEATURE_SETS, FeatureSettings
from cleaner.model import Model
from cleaner.read.lines import split_lines
from cleaner.records import LABELS
from cleaner.render import render_results as render
from cleaner.results import LineResult
from cleaner.training import dataset_from_labeled, train

TEXT = Options(input_format="text")


def non_blank(text: str) -> list[str]:
    return [line for line in split_lines(text) if line.strip()]


def is_subsequence(part: list[str], whole: list[str]) -> bool:
    remaining = iter(whole)
    return all(any(line == candidate for candidate in remaining) for line in part)


# -- clean and classify with the shipped model -----------------------------------------------


def test_clean_returns_input_lines_in_order_unchanged(seed_pages):
    for page in seed_pages:
        text = page.original_text()
        out = clean(text, TEXT)
        kept = [line for line in out.split("\n") if line]
        assert kept, f"nothing kept of {page.source}"
        assert is_subsequence(kept, list(page.lines)), page.source
        assert out.endswith("\n") and not out.endswith("\n\n\n")


def test_clean_accepts_bytes(seed_pages):
    text = seed_pages[2].original_text()
    assert clean(text.encode("utf-8"), TEXT) == clean(text, TEXT)


def test_classify_returns_one_result_per_line(seed_pages):
    for page in seed_pages:
        results = classify(page.original_text(), TEXT)
        assert all(isinstance(r, LineResult) for r in results)
        assert [r.text for r in results] == list(page.lines)
        assert [r.number for r in results] == list(range(1, len(page.lines) + 1))
        for result in results:
            if result.blank:
                assert (result.label, result.kept, result.probabilities) == ("-", False, {})
                continue
            assert result.label in LABELS
            assert set(result.probabilities) <= set(LABELS)
            assert sum(result.probabilities.values()) == pytest.approx(1.0, abs=1e-3)
            # Probabilities are rounded to 4 decimals, so a near-tie may round to equal values.
            assert result.probabilities[result.label] == max(result.probabilities.values())
            assert 0.0 <= result.keep_probability <= 1.0
            assert result.explanation == ()


def test_classify_and_clean_agree(seed_pages):
    text = seed_pages[3].original_text()
    assert render(classify(text, TEXT)) == clean(text, TEXT)


ARTICLE_INPUTS = [
    b"Un texte \xff abim\xe9.\n\nMenu | Sport\n",  # invalid UTF-8
    "Un titre\n\n  \nUn paragraphe assez long pour \u00eatre un vrai texte, avec des mots.\n",
    "<html><body><h1>Titre</h1><p>Un paragraphe assez long pour \u00eatre un vrai texte, avec des mots.</p>"
    "<ul><li>Accueil</li><li>Sport</li></ul></body></html>",
    b"<html><body><p>Un paragraphe \xe9crit en Latin-1, assez long pour \xeatre un texte.</p></body></html>",
    "",
]


@pytest.mark.parametrize("data", ARTICLE_INPUTS)
def test_article_is_clean_with_counts(small_cleaner, seed_pages, data):
    for cleaner in (small_cleaner, Cleaner.load()):
        for page_data in (data, seed_pages[2].original_text()):
            article = cleaner.article(page_data)
            page = cleaner.process(page_data)
            assert article.text == cleaner.clean(page_data) == page.text()
            assert article.kept == sum(r.kept for r in page.results)
            assert article.dropped == sum(not r.kept and r.label != "-" for r in page.results)
            assert (article.input_format, article.replaced) == (page.input_format, page.replaced)


def test_render_separates_runs_with_one_blank_line():
    results = [
        LineResult(1, "a", "body", 0.9, True),
        LineResult(2, "b", "body", 0.9, True),
        LineResult(3, "menu", "nav", 0.1, False),
        LineResult(5, "c", "body", 0.9, True),
    ]
    assert render(results) == "a\nb\n\nc\n"
    assert render([]) == ""


def test_empty_and_blank_pages():
    assert classify("", TEXT) == [] and clean("", TEXT) == ""
    results = classify("\n  \n\t\n", TEXT)
    assert [r.label for r in results] == ["-", "-", "-"]
    assert clean("\n  \n\t\n", TEXT) == ""


# -- options -------------------------------------------------------------------------------------


def test_threshold_zero_keeps_every_non_blank_line(small_cleaner, seed_pages):
    for page in seed_pages:
        text = page.original_text()
        results = small_cleaner.classify(text, Options(threshold=0.0, input_format="text"))
        assert [r.text for r in results if r.kept] == non_blank(text)


def test_threshold_one_keeps_almost_nothing(small_cleaner, seed_pages):
    for page in seed_pages:
        results = small_cleaner.classify(page.original_text(), Options(threshold=1.0, input_format="text"))
        kept = [r for r in results if r.kept]
        assert len(kept) <= max(1, 0.05 * len(results))
        assert all(r.keep_probability == 1.0 for r in kept)


def test_threshold_is_monotonic(small_cleaner, seeds_by_id):
    text = seeds_by_id["003"].original_text()
    counts = [
        sum(r.kept for r in small_cleaner.classify(text, Options(threshold=t, input_format="text")))
        for t in (0.0, 0.2, 0.5, 0.8, 1.0)
    ]
    assert counts == sorted(counts, reverse=True)


def test_keeping_more_labels_keeps_more(small_cleaner, seed_pages, seeds_by_id):
    wider = Options(keep=("body", "heading", "meta"), input_format="text")
    narrower = Options(keep=("body",), input_format="text")
    for page in seed_pages:
        text = page.original_text()
        default = {r.number for r in small_cleaner.classify(text, TEXT) if r.kept}
        more = {r.number for r in small_cleaner.classify(text, wider) if r.kept}
        fewer = {r.number for r in small_cleaner.classify(text, narrower) if r.kept}
        assert fewer <= default <= more, page.source
    text = seeds_by_id["002"].original_text()  # has meta lines: by-lines, reading times
    assert len([r for r in small_cleaner.classify(text, wider) if r.kept]) > len(
        [r for r in small_cleaner.classify(text, TEXT) if r.kept]
    )


@pytest.mark.parametrize(
    "options",
    [
        Options(keep=("body", "advert")),
        Options(keep=()),
        Options(keep="body"),  # a string is not a tuple of labels
        Options(keep=("body", "body")),
        Options(threshold=-0.1),
        Options(threshold=1.1),
        Options(threshold=float("nan")),
        Options(smoothing=1.0),
        Options(smoothing=-0.5),
        Options(input_format="xml"),  # type: ignore[arg-type]
        Options(narrow="false"),  # type: ignore[arg-type]  # a configuration file's string read as true
        Options(fallback="0"),  # type: ignore[arg-type]
        Options(explain="no"),  # type: ignore[arg-type]
    ],
    ids=[
        "unknown-label",
        "no-label",
        "string",
        "duplicate",
        "threshold-low",
        "threshold-high",
        "threshold-nan",
        "smoothing-one",
        "smoothing-negative",
        "input-format",
        "narrow-string",
        "fallback-string",
        "explain-string",
    ],
)
def test_bad_options_raise(options, small_cleaner):
    with pytest.raises(OptionsError):
        options.checked()
    with pytest.raises(OptionsError):
        small_cleaner.classify("Un texte.", options)
    assert issubclass(OptionsError, ValueError) and issubclass(OptionsError, CleanerError)


def test_numbers_of_any_kind_are_read_as_floats():
    from fractions import Fraction

    checked = Options(threshold=Fraction(1, 2), smoothing=Fraction(1, 3)).checked()
    assert type(checked.threshold) is float and type(checked.smoothing) is float
    page = "<html><body><p>" + "A sentence of the article, long enough to be read as prose. " * 4 + "</p></body></html>"
    assert clean(page, Options(smoothing=Fraction(1, 3))) == clean(page, Options(smoothing=1 / 3))  # the core failed


def test_wrong_types_are_told_at_every_entry_point(small_cleaner):
    page = "<html><body><p>A sentence of the article, long enough to be read as prose.</p></body></html>"
    calls = {
        "clean_html": lambda: small_cleaner.clean_html(page, 0.7),
        "classify_html": lambda: small_cleaner.classify_html(page, 0.7),
        "clean_stream": lambda: list(small_cleaner.clean_stream(["a line"], 0.7)),
        "clean_stream of bytes": lambda: list(small_cleaner.clean_stream([b"a line"])),
        "extract url": lambda: small_cleaner.extract(page, url=5),
        "markdown url": lambda: small_cleaner.markdown(page, links=True, url=b"https://example.org/"),
    }
    for name, call in calls.items():
        with pytest.raises(TypeError, match="options must be|str lines|URL is a str"):
            call()
            pytest.fail(name)


def test_smoothing_option(small_cleaner, seeds_by_id):
    text = seeds_by_id["002"].original_text()
    plain = small_cleaner.classify(text, Options(smoothing=0.0, input_format="text"))
    smoothed = small_cleaner.classify(text, Options(smoothing=0.5, input_format="text"))
    assert [r.keep_probability for r in plain] != [r.keep_probability for r in smoothed]
    assert [r.probabilities for r in plain] == [r.probabilities for r in smoothed], "labels are not smoothed"


def test_explain_attaches_explanations(small_cleaner, small_model, seeds_by_id):
    results = small_cleaner.classify(seeds_by_id["002"].original_text(), Options(explain=True, input_format="text"))
    names = set(small_model.feature_names)
    for result in results:
        if result.blank:
            assert result.explanation == ()
            continue
        assert len(result.explanation) == 3
        for name, weight in result.explanation:
            assert name in names and isinstance(weight, float)
    plain = small_cleaner.classify(seeds_by_id["002"].original_text(), TEXT)
    assert [(r.label, r.kept) for r in plain] == [(r.label, r.kept) for r in results], "explaining changes nothing"


# -- Cleaner -------------------------------------------------------------------------------------


def test_cleaner_load_is_reused_across_calls(seeds_by_id, monkeypatch):
    cleaner = Cleaner.load()
    page = seeds_by_id["004"].original_text()
    expected = cleaner.clean(page, TEXT)

    def no_reload(*args, **kwargs):
        raise AssertionError("the model was loaded again")

    monkeypatch.setattr(Model, "load", no_reload)
    for _ in range(200):
        assert cleaner.clean(page, TEXT) == expected


def test_cleaner_load_a_model_file(small_model_path, small_cleaner, seeds_by_id):
    text = seeds_by_id["003"].original_text()
    assert Cleaner.load(small_model_path).classify(text, TEXT) == small_cleaner.classify(text, TEXT)


def test_cleaner_is_thread_safe(small_cleaner, seed_pages):
    texts = [page.original_text() for page in seed_pages]
    options = Options(explain=True, input_format="text")
    serial = [small_cleaner.classify(text, options) for text in texts]
    barrier = threading.Barrier(8)

    def work(offset: int):
        barrier.wait()
        # Each thread walks the pages from a different start so that different pages run at the same time.
        order = texts[offset:] + texts[:offset]
        return offset, [small_cleaner.classify(text, options) for text in order]

    with ThreadPoolExecutor(max_workers=8) as pool:
        for offset, results in pool.map(work, range(8)):
            assert results == serial[offset:] + serial[:offset]


def test_cleaner_needs_a_model():
    with pytest.raises(ModelError):
        Cleaner(None, None)


def test_html_model_refuses_plain_text(seed_pages, tmp_path):
    model = train(
        dataset_from_labeled(seed_pages), FeatureSettings(HTML_FEATURE_SETS), cross_validate=False, trained_at="x"
    )
    cleaner = Cleaner.load(model.save(tmp_path / "html.json"))
    assert cleaner.text_model is None and cleaner.html_model is not None
    with pytest.raises(ModelError, match="plain text"):
        cleaner.classify("Un texte.", TEXT)


def test_process_reports_replaced_bytes(small_cleaner):
    page = small_cleaner.process("Un texte déjà écrit, très abîmé ".encode() + b"\xff abim\xe9.\n", TEXT)
    assert page.replaced and page.input_format == "text"
    assert page.results[0].text == "Un texte déjà écrit, très abîmé \ufffd abim\ufffd."
    assert not small_cleaner.process("Un vrai \ufffd dans le texte.".encode(), TEXT).replaced


def test_auto_detects_plain_text(small_cleaner, seeds_by_id):
    text = seeds_by_id["002"].original_text()
    assert small_cleaner.process(text.encode("utf-8")).input_format == "text"
    assert small_cleaner.process(text).input_format == "text"
    assert small_cleaner.classify(text) == small_cleaner.classify(text, TEXT)


# -- misuse and failing pages in a batch ----------------------------------------------------------

BINARY = b"\x00\x01\x02" * 100 + b"\xff" * 1000


def test_a_batch_gives_the_pages_before_one_that_cannot_be_read(seed_text_files):
    cleaner = Cleaner.load()
    page = seed_text_files["000"].read_bytes()
    got: list[str] = []
    with pytest.raises(CleanerError):
        for text in cleaner.clean_many([page, page, BINARY, page]):
            got.append(text)
    assert got == [cleaner.clean(page)] * 2
    documents = []
    with pytest.raises(CleanerError):
        for document in cleaner.documents([page, BINARY]):
            documents.append(document)
    assert [document.text for document in documents] == [cleaner.clean(page)]


@pytest.mark.parametrize(
    "options",
    [
        Options(threshold="0.5"),
        Options(smoothing="a"),
        Options(threshold=True),
        Options(keep=None),
        Options(keep="body"),
        Options(keep=(label for label in ["body"])),
        Options(input_format=3),
    ],
)
def test_options_of_the_wrong_type_are_an_options_error(options):
    with pytest.raises(OptionsError):
        clean("Une ligne de texte.\n", options)


def test_what_is_not_an_options_or_a_model_is_a_type_error():
    with pytest.raises(TypeError, match="cleaner.Options"):
        clean("Une ligne de texte.\n", {"threshold": 0.5})
    with pytest.raises(TypeError, match="Cleaner.load"):
        Cleaner("models/text.json")
    with pytest.raises(TypeError, match="URL"):
        list(Cleaner.load().documents(["<p>Une ligne de texte.</p>"], urls=[1]))

"""The corpora reader and the gold-text aligner: hand-made pages, synthetic corpus files, and the real corpora."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

from cleaner.corpus.align import Alignment, agreement_table, align_lines
from cleaner.corpus.pages import (
    CORPORA,
    CorpusPage,
    align_tokens,
    default_corpora_dir,
    iter_corpus_pages,
    page_site,
    repair_mojibake,
    unglue,
)
from cleaner.errors import InputError

REPOSITORY = Path(__file__).resolve().parents[1]
# Pages per corpus in the shared data set.
EXPECTED_COUNTS = {
    "cleaneval": 732,
    "cleanportaleval": 69,
    "dragnet": 1381,
    "l3s-gn1": 621,
    "readability": 116,
    "fundus": 187,
    "msv": 443,
    "googletrends2017": 114,
    "magichtml": 224,
}
# Mean alignment agreement of the first AGREEMENT_PAGES pages of each corpus rendered by html-text, pinned a
# little below the measured values (0.987, 1.000, 0.956, 0.949, 1.000, 0.999, 0.950, 0.963, 0.994).
AGREEMENT_PAGES = 20
AGREEMENT_FLOORS = {
    "cleaneval": 0.96,
    "cleanportaleval": 0.98,
    "dragnet": 0.93,
    "l3s-gn1": 0.92,
    "readability": 0.98,
    "fundus": 0.98,
    "msv": 0.93,
    "googletrends2017": 0.94,
    "magichtml": 0.97,
}


def make_page(gold: str, *, corpus: str = "cleaneval", segments=(), comments: str = "") -> CorpusPage:
    return CorpusPage(
        id="test/1",
        corpus=corpus,
        site="example.com",
        url=None,
        html="",
        gold=gold,
        segments=tuple(segments),
        comments=comments,
    )


def labeled(lines: list[str], alignment: Alignment) -> list[tuple[str, str]]:
    return list(zip(alignment.labels, lines))


# ---------------------------------------------------------------------------------------------------------
# Aligner on hand-made pages

STORM_GOLD = """Big storm hits the coast
A big storm hit the coast on Monday, leaving thousands of homes without power.
Residents who stayed home said the wind was the strongest in decades.
* Roads closed
* Schools shut
Officials said the weather news would improve by Friday."""

STORM_LINES = [
    "Big storm hits the coast - Daily News",  # <title>: the headline again, with the site name
    "",
    "Home",  # "home", "news" and "weather" all occur in the gold, but not here
    "News",
    "Weather",
    "",
    "Big storm hits the coast",
    "By Jane Doe | 12 March 2021",
    "",
    "A big storm hit the coast on Monday, leaving thousands of homes without power.",
    "   ",
    "Residents who stayed home said the wind was the strongest in decades.",
    "",
    "Roads closed",
    "Schools shut",
    "",
    "Officials said the weather news would improve by Friday.",
    "",
    "Share",
    "Home | News | Weather",
]


def test_main_lines_are_found_exactly():
    alignment = align_lines(STORM_LINES, make_page(STORM_GOLD))
    main = [i for i, label in enumerate(alignment.labels) if label == "body"]
    assert main == [6, 9, 11, 13, 14, 16]
    assert alignment.agreement == 1.0
    assert len(alignment.labels) == len(STORM_LINES)


def test_blank_lines_get_a_dash_and_other_lines_are_nav():
    labels = align_lines(STORM_LINES, make_page(STORM_GOLD)).labels
    for line, label in zip(STORM_LINES, labels):
        if not line.strip():
            assert label == "-"
        else:
            assert label in ("body", "nav")


def test_boilerplate_lines_with_gold_words_are_noise():
    labels = dict(enumerate(align_lines(STORM_LINES, make_page(STORM_GOLD)).labels))
    assert [labels[i] for i in (2, 3, 4)] == ["nav", "nav", "nav"]  # Home, News, Weather
    assert labels[19] == "nav"  # "Home | News | Weather"
    assert labels[0] == "nav"  # the <title> copy of the headline loses to the headline above the article
    assert labels[7] == "nav" and labels[18] == "nav"


def test_short_line_matches_only_next_to_the_article():
    gold = "Contact\nWrite to us at the address below and we will answer within a week."
    lines = ["Contact", "Menu", "Contact", "Write to us at the address below and we will answer within a week."]
    assert align_lines(lines, make_page(gold)).labels == ("nav", "nav", "body", "body")


def test_punctuation_quotes_case_and_bullets_still_match():
    gold = "KOSOVO?S ?FINAL? STATUS ? TALKS FAIL\nThe UN chief?s envoy said: ?We?ll keep trying.?\n1. First point\n* Second"
    lines = [
        "Kosovo’s “final” status — talks fail",
        "The UN chief’s envoy said: “We’ll keep trying.”",
        "First point",
        "• Second",
        "Print this article",
    ]
    alignment = align_lines(lines, make_page(gold))
    assert alignment.labels == ("body", "body", "body", "body", "nav")
    assert alignment.agreement > 0.75  # only the list number "1" is missing, but it costs 4 of 17 shingles


def test_mojibake_in_the_lines_still_matches():
    gold = "The UN chief?s envoy said: ?We?ll keep trying.?"
    lines = ["The UN chiefâ€™s envoy said: â€œWeâ€™ll keep trying.â€\x9d", "Menu"]  # UTF-8 read as cp1252
    assert align_lines(lines, make_page(gold)).labels == ("body", "nav")


def test_words_glued_or_dropped_by_the_annotator_still_match():
    words = (
        "the conflict in the north is one of the most closely watched and hotly debated disputes of our time"
        " and it has lasted for over a century"
    ).split()
    line = " ".join(words)
    # the annotator glued "closely" and "watched" and dropped "our"
    gold = " ".join(words[:10]) + " " + "".join(words[10:12]) + " " + " ".join(words[12:18] + words[19:])
    assert align_lines([line, "Log in"], make_page(gold)).labels == ("body", "nav")


def test_duplicated_lines_match_as_often_as_the_gold_has_them():
    first = "The quick brown fox jumps over the lazy dog near the river bank today."
    second = "Then the fox ran back into the forest and was never seen again by anyone."
    page = make_page(f"{first}\n{second}")
    assert align_lines([first, second, first], page).labels == ("body", "body", "nav")
    page_twice = make_page(f"{first}\n{second}\n{first}")
    assert align_lines([first, second, first], page_twice).labels == ("body", "body", "body")


def test_long_lines_may_match_out_of_order():
    first = "The quick brown fox jumps over the lazy dog near the river bank today."
    second = "Then the fox ran back into the forest and was never seen again by anyone."
    assert align_lines([second, first], make_page(f"{first}\n{second}")).labels == ("body", "body")


def test_l3s_headline_related_and_comment_segments():
    segments = [
        ("headline", "Mayor resigns over scandal"),
        ("supplemental", "5 May 2008"),
        ("fulltext", "The mayor resigned on Tuesday after weeks of pressure from the council."),
        ("related", "Council elects new leader"),
        ("related", "Scandal timeline explained"),
        ("comments", "Good riddance, he should have gone months ago."),
        ("comments", "Posted by Sam"),
    ]
    gold = "Mayor resigns over scandal\nThe mayor resigned on Tuesday after weeks of pressure from the council."
    lines = [
        "Mayor resigns over scandal",
        "5 May 2008",
        "The mayor resigned on Tuesday after weeks of pressure from the council.",
        "Related stories",
        "Council elects new leader",
        "Scandal timeline explained",
        "Comments (2)",
        "Good riddance, he should have gone months ago.",
        "Posted by Sam",
        "Contact us",
    ]
    alignment = align_lines(lines, make_page(gold, corpus="l3s-gn1", segments=segments))
    assert alignment.labels == (
        "heading",
        "nav",
        "body",
        "nav",
        "related",
        "related",
        "nav",
        "comment",
        "comment",
        "nav",
    )
    assert alignment.agreement == 1.0


def test_dragnet_comments():
    gold = "Taxes will rise next year, the minister announced in parliament on Monday."
    comments = "Great article!\nI disagree with the minister about taxes and spending."
    lines = [
        "Taxes will rise next year, the minister announced in parliament on Monday.",
        "2 comments",
        "Great article!",
        "I disagree with the minister about taxes and spending.",
        "Next page",
    ]
    labels = align_lines(lines, make_page(gold, corpus="dragnet", comments=comments)).labels
    assert labels == ("body", "nav", "comment", "comment", "nav")


def test_agreement_measures_missing_and_extra_text():
    gold = "alpha beta gamma delta epsilon zeta eta theta"
    assert align_lines(["alpha beta gamma delta"], make_page(gold)).agreement == pytest.approx(2 / (1 + 5))
    assert align_lines([], make_page(gold)).agreement == 0.0
    assert align_lines(["menu"], make_page("")).labels == ("nav",)


def test_align_tokens():
    assert align_tokens("Straße ﬁne “Kosovo’s” â€” ÉTÉ") == ["strasse", "fine", "kosovo", "s", "été"]


# ---------------------------------------------------------------------------------------------------------
# Text repair


def test_repair_mojibake():
    assert repair_mojibake("Kosovoâ\x80\x99s") == "Kosovo’s"
    assert repair_mojibake("Childrenâ€™s SauniÃ¨re") == "Children’s Saunière"
    assert repair_mojibake("Ã\x82Â\xa0x") == "\xa0x"  # decoded wrongly twice
    assert repair_mojibake("don\x92t") == "don’t"  # cp1252 read as Latin-1
    for fine in ("grâce à Dieu", "Vláďa áš", "Árvíztűrő tükörfúrógép", "plain ascii"):
        assert repair_mojibake(fine) == fine


def test_unglue():
    vocabulary = {"he", "thinks", "of", "hoyas", "a", "novice"}
    assert unglue("He Thinksof hoyas, anovice.", vocabulary) == "He Thinks of hoyas, a novice."
    assert unglue("He thinks of hoyas.", vocabulary) == "He thinks of hoyas."
    assert unglue("Unknownword here", vocabulary) == "Unknownword here"


# ---------------------------------------------------------------------------------------------------------
# Sites


@pytest.mark.parametrize(
    ("page_id", "url", "html", "site"),
    [
        ("cleaneval-dev/1", "http://www.1-las-vegas-real-estate.com/homes/", "", "1-las-vegas-real-estate.com"),
        ("x/1", "https://News.BBC.co.uk/2/hi/x.stm", "", "news.bbc.co.uk"),
        ("CleanPortalEval-master/bbc.co.uk_news_01", None, "", "bbc.co.uk"),
        ("CleanPortalEval-master/blogs.wsj.com_brussels_10", None, "", "blogs.wsj.com"),
        ("dragnet_data/100", None, '<link rel="canonical" href="http://www.cbsnews.com/8301/x/"/>', "cbsnews.com"),
        ("dragnet_data/101", None, "<meta content='https://example.org/a' property='og:url'>", "example.org"),
        ("page-signal-master/01cc", None, '<base href="http://www.streetinsider.com/" />', "streetinsider.com"),
        ("dragnet_data/R184", None, "<html><body>no address</body></html>", "dragnet_data/R184"),
        ("readability/aclu", None, "", "readability/aclu"),
        ("readability/001", "not a url", "", "readability/001"),
    ],
)
def test_page_site(page_id, url, html, site):
    assert page_site(page_id, url, html) == site


# ---------------------------------------------------------------------------------------------------------
# Reader on synthetic corpus files


def write_corpus(folder: Path, name: str, records: list[dict]) -> None:
    with gzip.open(folder / f"{name}.jsonl.gz", "wt", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record) + "\n")


@pytest.fixture()
def synthetic(tmp_path: Path) -> Path:
    write_corpus(
        tmp_path,
        "cleanportaleval",
        [
            {
                "id": "CleanPortalEval-master/bbc.co.uk_news_01",
                "corpus": "cleanportaleval",
                "url": None,
                "html": "<p>The BBC&#039;s story</p>",
                "gold": "The BBC&#039;s story &#8211; told",
            },
            {
                "id": "CleanPortalEval-master/bbc.co.uk_news_02",
                "corpus": "cleanportaleval",
                "url": "http://www.bbc.co.uk/news/2",
                "html": "<p>Two</p>",
                "gold": "Two",
            },
        ],
    )
    container = "Para one is here. Para two is here."
    write_corpus(
        tmp_path,
        "l3s-gn1",
        [
            {
                "id": "page-signal-master/abc",
                "corpus": "l3s-gn1",
                "url": None,
                "html": "<h1>Title</h1><p>Para one is here.</p><p>Para two is here.</p><p>Kosovoâ\x80\x99s</p>",
                "segments": [
                    {"label": "headline", "text": "Title"},
                    {"label": "fulltext", "text": container},
                    {"label": "fulltext", "text": "Para one is here."},
                    {"label": "fulltext", "text": "Para one is here."},
                    {"label": "fulltext", "text": "Para two is here."},
                    {"label": "comments", "text": "Nice one"},
                    {"label": "comments", "text": "Nice one"},
                ],
                "gold": "\n".join(["Title", container, "Para one is here.", "Para one is here.", "Para two is here."]),
            },
        ],
    )
    return tmp_path


def test_reader_repairs_text_fields(synthetic: Path):
    pages = list(iter_corpus_pages(synthetic, ["cleanportaleval", "l3s-gn1"]))
    assert [page.corpus for page in pages] == ["cleanportaleval", "cleanportaleval", "l3s-gn1"]
    assert pages[0].gold == "The BBC's story – told"  # entities decoded
    assert [page.site for page in pages] == ["bbc.co.uk", "bbc.co.uk", "page-signal-master/abc"]
    l3s = pages[2]
    assert l3s.gold == "Title\nPara one is here. Para two is here."  # nested and repeated segments dropped
    assert l3s.segments == (
        ("headline", "Title"),
        ("fulltext", "Para one is here. Para two is here."),
        ("comments", "Nice one"),
    )
    assert "Kosovo’s" in l3s.html
    assert l3s.comments == "" and l3s.url is None


def test_reader_raw_records_and_limit(synthetic: Path):
    raw = list(iter_corpus_pages(synthetic, ["l3s-gn1"], raw=True))
    assert len(raw[0].segments) == 7 and "Kosovoâ\x80\x99s" in raw[0].html
    assert len(list(iter_corpus_pages(synthetic, ["cleanportaleval", "l3s-gn1"], limit=1))) == 2


def test_reader_errors(synthetic: Path, tmp_path: Path):
    with pytest.raises(InputError, match="folder not found"):
        list(iter_corpus_pages(tmp_path / "nowhere"))
    with pytest.raises(InputError, match="corpus file not found"):
        list(iter_corpus_pages(synthetic, ["dragnet"]))
    with pytest.raises(InputError, match="unknown corpus"):
        list(iter_corpus_pages(synthetic, ["wikipedia"]))
    (synthetic / "readability.jsonl.gz").write_bytes(gzip.compress(b'{"id": "r/1", "html": "x"}\nnot json\n'))
    with pytest.raises(InputError, match="gold"):
        list(iter_corpus_pages(synthetic, ["readability"]))
    (synthetic / "dragnet.jsonl.gz").write_bytes(b"not gzip at all")
    with pytest.raises(InputError, match="cannot read"):
        list(iter_corpus_pages(synthetic, ["dragnet"]))


def test_default_corpora_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("CLEANER_CORPORA", str(tmp_path))
    assert default_corpora_dir() == tmp_path
    monkeypatch.delenv("CLEANER_CORPORA")
    monkeypatch.chdir(tmp_path)
    assert default_corpora_dir() == tmp_path / ".." / "shared" / "corpora"


def test_agreement_table():
    table = agreement_table({"cleaneval": [1.0, 0.85, 0.5]})
    header, row = table.splitlines()
    assert header.split()[:3] == ["corpus", "pages", "mean"] and "(dropped)" in header
    assert row.split() == ["cleaneval", "3", "0.783", "1", "2"]


# ---------------------------------------------------------------------------------------------------------
# The shared corpora (skipped when absent)


@pytest.fixture(scope="module")
def corpora_dir() -> Path:
    """$CLEANER_CORPORA, else the shared folder next to the repository (whatever the current directory)."""
    folder = default_corpora_dir() if os.environ.get("CLEANER_CORPORA") else REPOSITORY.parent / "shared" / "corpora"
    if not all((folder / f"{name}.jsonl.gz").is_file() for name in CORPORA):
        pytest.skip(f"corpora not found in {folder}")
    return folder


def test_record_counts(corpora_dir: Path):
    counts: dict[str, int] = {}
    for page in iter_corpus_pages(corpora_dir, raw=True):
        counts[page.corpus] = counts.get(page.corpus, 0) + 1
    assert counts == EXPECTED_COUNTS


def test_agreement_on_first_pages(corpora_dir: Path):
    pytest.importorskip("html_text")
    from cleaner.corpus.align import agreement_by_renderer

    by_corpus = agreement_by_renderer(corpora_dir, renderers=["html-text"], limit=AGREEMENT_PAGES)["html-text"]
    for corpus, floor in AGREEMENT_FLOORS.items():
        values = by_corpus[corpus]
        assert len(values) == AGREEMENT_PAGES
        assert sum(values) / len(values) >= floor, (corpus, sum(values) / len(values))


def test_the_alignment_cache_key_covers_code_that_exists(tmp_path):
    """The cache of aligned pages is keyed by the code the alignment depends on: every part named
    must exist (a module moved into a folder must be renamed there too), and the key is stable."""
    from cleaner.corpus.aligned import _CODE, _key, _sources

    root = Path(__file__).resolve().parents[1] / "cleaner"
    assert [part for part in _CODE if not (root / part).exists()] == []
    # The compiled segmenter is code the alignment depends on as much as its Python definition.
    assert {root / "read" / "segment.py", root / "read" / "_segment.pyx"} <= set(_sources())
    pages = [make_page("Some text.")]
    assert _key(pages) == _key(pages) and len(_key(pages)) == 16


def test_photo_captions_and_credits_are_meta_whatever_the_gold_says():
    """The gold of some corpora keeps captions; they are labelled meta (as the label set defines them)
    in every corpus, for both models. Other lines keep the gold's labels."""
    from cleaner.corpus.aligned import align_page

    caption = "The minister at the podium on Tuesday, before the vote in parliament."
    credit = "Photo by a staff photographer for the newspaper archive collection."
    body = "The parliament voted on Tuesday to adopt the budget after a long and heated debate."
    html = (
        f"<html><body><article><h1>Budget adopted</h1><p>{body}</p>"
        f"<figure><img src=x><figcaption>{caption}</figcaption></figure>"
        f"<div class='image-credit'>{credit}</div><p>{body} Again.</p></article></body></html>"
    )
    gold = f"Budget adopted\n{body}\n{caption}\n{credit}\n{body} Again."
    page = CorpusPage("p", "test", "example.org", None, html, gold)
    for renderer in ("cleaner", "html-text"):
        aligned = align_page(page, renderer)
        html_labels = dict(zip(aligned.html.texts, aligned.html_labels))
        assert html_labels[caption] == html_labels[credit] == "meta"
        assert html_labels[body] == "body" and html_labels["Budget adopted"] == "heading"
        text_labels = dict(zip(aligned.text_lines, aligned.text_labels))
        assert text_labels[caption] == text_labels[credit] == "meta" and text_labels[body] == "body"


def test_each_corpus_weighs_the_same_and_a_big_page_as_a_page_of_full_weight_lines():
    """Every line is fitted; a corpus's lines sum to 1, and a page of more than FULL_WEIGHT_LINES lines
    weighs as a page of that many (what a sample of that many of its lines gave on average)."""
    import numpy as np

    from cleaner.corpus.dataset import FULL_WEIGHT_LINES, corpus_line_weights

    big = 4 * FULL_WEIGHT_LINES
    sizes = np.array([3, big, 5])
    corpus = np.array(["a"] * 3 + ["b"] * big + ["b"] * 5, dtype=object)
    texts = ["x" * 16] * len(corpus)
    weights = corpus_line_weights(texts, corpus, sizes)
    assert weights[:3].sum() == pytest.approx(1.0)
    b_line = 1.0 / (big + 5)  # the lines of corpus "b" share 1 before the big page is scaled down
    assert weights[3 : 3 + big] == pytest.approx(b_line / 4)
    assert weights[3 : 3 + big].sum() == pytest.approx(FULL_WEIGHT_LINES * b_line)
    assert weights[-5:] == pytest.approx(b_line)


def test_page_windows_are_short_runs_inside_the_page_and_the_same_every_run():
    from cleaner.corpus.dataset import WINDOW_LINES, page_windows

    low, high = WINDOW_LINES
    for lines in (low + 1, 5, 40, 1000):
        found = page_windows(f"page-{lines}", lines, 3)
        assert len(found) == 3 and found == page_windows(f"page-{lines}", lines, 3)
        for start, end in found:
            assert 0 <= start < end <= lines and low <= end - start <= min(high, lines - 1)
    assert page_windows("a", 40, 2) != page_windows("b", 40, 2)
    assert page_windows("a", low, 2) == [] and page_windows("a", 40, 0) == []
    # The first `around` windows hold a line of the article, when the page has one.
    for name in "abcdefgh":
        (start, end), _ = page_windows(name, 100, 2, article=[70], around=1)
        assert start <= 70 < end


def test_an_unknown_renderer_is_the_librarys_error():
    from cleaner.corpus.align import agreement_by_renderer
    from cleaner.errors import OptionsError

    with pytest.raises(OptionsError, match="unknown renderers foo; known: "):
        agreement_by_renderer(renderers=["foo"])

"""Fragments: short runs of lines cut from corpus pages, cleaned as pages of their own by held-out text models.

    python bench/windows.py BUILD [BUILD ...] [--per-page 2] [--corpora ../shared/corpora]
        [--cache bench/results/cache] [--threshold T]

A scraper often hands the cleaner a fragment, not a page: a paragraph and the share bar under it, a
teaser and a "Read more". Each BUILD is a folder of held-out models (``training/build_models.py
--held-out BUILD``); every corpus page's windows (:func:`cleaner.corpus.dataset.text_windows`, two to
twelve of its text rendering's lines, the first around a line of its article, the second anywhere;
labelled by aligning the page with its gold) are cleaned by the text model that never saw the
corpus. Printed per corpus and build:

- windows that hold article text: their word F1, averaged over the windows (kept article words
  against the window's article words and kept words);
- windows that hold none: the share of them of which anything is kept, and the share of their words
  kept (a fragment of boilerplate should come out empty).

The windows of a page are the same every run (drawn from a hash of its id). Then each build's
keep-probabilities of the lines of a few fragments written by hand (:data:`HAND_MADE`), read by its
model held out from fundus.
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path

from speed import ROOT

# An article's paragraph with what a scraper picks up around it, in French and English.
PARAGRAPH_FR = (
    "Le conseil municipal a voté mardi soir le budget 2026, qui prévoit une hausse de 3 % des dépenses "
    "d'investissement, notamment pour la rénovation des écoles."
)
PARAGRAPH_EN = (
    "The council approved the 2026 budget on Tuesday night, with a 3% rise in investment spending, "
    "mostly on schools. The mayor said the plan was long overdue."
)
# The held-out model that reads them: any of a build would do (the fragments are of no corpus); this
# one has learnt from every corpus but one of news pages in twenty languages.
HAND_MADE_MODEL = "text-fundus.json"
HAND_MADE = (
    (PARAGRAPH_FR, "Accueil"),
    ("Accueil > Actualités > Politique", PARAGRAPH_FR, "Partager sur Facebook", "À lire aussi", "Les écoles rénovées"),
    (PARAGRAPH_EN, "Sign up for our newsletter", "Share this article", "Related: Schools to be renovated by 2027"),
    ("Home | News | Sport | Contact", PARAGRAPH_EN, "Most read", "Cookie settings"),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("builds", type=Path, nargs="+", help="Folders of held-out models; the first is the baseline.")
    parser.add_argument("--per-page", type=int, default=2, help="Windows cut from each page.")
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    parser.add_argument("--cache", type=Path, default=ROOT / "bench" / "results" / "cache")
    parser.add_argument("--threshold", type=float, help="The user's dial (Options.threshold); default: the model's.")
    args = parser.parse_args()

    from cleaner import Cleaner, Options
    from cleaner.corpus.align import MIN_AGREEMENT
    from cleaner.corpus.aligned import align_pages
    from cleaner.corpus.dataset import text_windows
    from cleaner.corpus.pages import CORPORA, align_tokens, iter_corpus_pages
    from cleaner.model import Model
    from cleaner.records import DEFAULT_KEEP

    aligned = [
        page
        for page in align_pages(list(iter_corpus_pages(args.corpora)), jobs=1, cache=args.cache)
        if page.text_agreement >= MIN_AGREEMENT
    ]
    windows = defaultdict(list)  # corpus -> [(texts, their words, positive flags)]
    for page in aligned:
        for lines in text_windows(page, args.per_page):
            texts = [page.text_lines[i] for i in lines]
            words = [len(align_tokens(text)) for text in texts]
            windows[page.corpus].append((texts, words, [page.text_labels[i] in DEFAULT_KEEP for i in lines]))

    corpora = [corpus for corpus in CORPORA if windows[corpus]]
    print(f"text fragments: {args.per_page} windows of 2-12 lines a page, held out by corpus\n")
    columns = ("windows with article text", "their word F1", "windows without", "of which anything kept")
    columns += ("their words kept",)
    print("| build | corpus | " + " | ".join(columns) + " |")
    print("|---|---|--:|--:|--:|--:|--:|")
    for build in args.builds:
        held_out = {corpus: Model.load(build / f"text-{corpus}.json") for corpus in corpora}
        totals = defaultdict(float)
        for corpus in corpora:
            cleaner = Cleaner(held_out[corpus])
            f1s, empty_any, empty_share = [], [], []
            for texts, words, positive in windows[corpus]:
                results = cleaner.classify("\n".join(texts), Options(threshold=args.threshold))
                kept = [r.kept for r in results if r.text.strip()]
                gold = sum(w for w, p in zip(words, positive) if p)
                out = sum(w for w, k in zip(words, kept) if k)
                if gold:
                    hit = sum(w for w, p, k in zip(words, positive, kept) if p and k)
                    f1s.append(2 * hit / (gold + out) if gold + out else 0.0)
                else:
                    empty_any.append(any(kept))
                    empty_share.append(out / max(sum(words), 1))
            row = (
                len(f1s),
                sum(f1s) / max(len(f1s), 1),
                len(empty_any),
                sum(empty_any) / max(len(empty_any), 1),
                sum(empty_share) / max(len(empty_share), 1),
            )
            for name, value in zip(("with", "f1", "without", "any", "share"), row):
                totals[name] += value / len(corpora)
            print(f"| {build} | {corpus} | {row[0]} | {row[1]:.4f} | {row[2]} | {row[3]:.3f} | {row[4]:.3f} |")
        print(
            f"| {build} | mean of corpora | {totals['with']:.0f} | {totals['f1']:.4f} | {totals['without']:.0f} "
            f"| {totals['any']:.3f} | {totals['share']:.3f} |"
        )

    print("\nhand-made fragments: each line's keep-probability, a column per build\n")
    print("| line | " + " | ".join(str(build) for build in args.builds) + " |")
    print("|---|" + "--:|" * len(args.builds))
    cleaners = [Cleaner(Model.load(build / HAND_MADE_MODEL)) for build in args.builds]
    for fragment in HAND_MADE:
        columns = [[r.keep_probability for r in cleaner.classify("\n".join(fragment))] for cleaner in cleaners]
        for number, line in enumerate(fragment):
            shown = line[:40].replace("|", "\\|")  # a Markdown table's cell
            print(f"| {shown} | " + " | ".join(f"{column[number]:.2f}" for column in columns) + " |")


if __name__ == "__main__":
    main()

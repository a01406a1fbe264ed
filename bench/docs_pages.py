"""Documentation pages, a kind the corpora hold few of: cleaner (HTML) against trafilatura on the Rust
project's documentation, its books (made with mdBook) or its standard library's API pages (made with
rustdoc), on Python's documentation (made with Sphinx), Git's (AsciiDoc) or PostgreSQL's (DocBook).

    python bench/docs_pages.py [--kind books|api|sphinx|asciidoc|docbook] [--root DOCS] [--pages 60] [--worst 8]

DOCS is, for books and api, the HTML documentation that ``rustup component add rust-docs`` installs
(``~/.rustup/toolchains/<toolchain>/share/doc/rust/html``; the newest toolchain's by default); for
sphinx, asciidoc and docbook, the documentation Debian's ``python3.X-doc``, ``git-doc`` and
``postgresql-doc-15`` packages install (the folders named below; ``apt-get download PACKAGE &&
dpkg-deb -x PACKAGE_*.deb DIR`` unpacks one anywhere, DIR/usr/share/doc/... then the --root). The
pages: a seeded sample of --pages of

- books: the Book, Cargo, the Reference, Rust by Example, the Nomicon, the Edition Guide, rustc, the
  Embedded Book, the Style Guide, rustdoc, the Unstable Book (not their print.html, which joins a whole
  book); the gold is the text of the page's ``<main>`` element, the book's own mark of its content;
- api: the pages of ``std/`` (a module, struct, enum, trait, function... each; not the thousands of
  ``std::arch`` intrinsics); the gold is the text of the ``<section id="main-content">`` rustdoc writes
  inside ``<main>`` (the item's signature, description, examples and the lists of its methods and
  trait implementations; not the sidebar, the search bar or the settings);
- sphinx: every page of Python's documentation (``/usr/share/doc/python3.X/html``) but its indexes
  (``genindex*``, ``py-modindex``, ``search``); the gold is the text of the ``<div role="main">``
  Sphinx writes around the page's content, without the ¶ signs of its headings' permalinks (not the
  sidebar's table of contents, the navigation bars or the footer);
- asciidoc: the pages of Git's documentation, as Debian's ``git-doc`` package installs it
  (``/usr/share/doc/git-doc``): its manual pages, guides and how-tos; the gold is the text of the
  ``<div id="content">`` AsciiDoc writes after the page's header (its title and, for a manual page,
  nothing else) and before its footer (the version and date), without the trailer every manual page
  ends it with (a section "GIT": "Part of the git(1) suite");
- docbook: the pages of PostgreSQL's documentation, as Debian's ``postgresql-doc-15`` package installs
  it (``/usr/share/doc/postgresql-doc-15/html``): chapters, sections and reference pages; the gold is
  the text of the first ``<div>`` of the ``<body>`` after DocBook's navigation header (the chapter,
  section or reference entry), without the navigation header and footer.

Pages without their gold element are skipped. The figures say how well each system finds and keeps a
documentation page's content, tables and code included, and leaves out what the generator puts
around it. Scores: the benchmark's shingle metric. Shipped models; trafilatura with its defaults and
``include_tables=True``.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

BOOKS = (
    "book",
    "cargo",
    "reference",
    "rust-by-example",
    "nomicon",
    "edition-guide",
    "rustc",
    "embedded-book",
    "style-guide",
    "rustdoc",
    "unstable-book",
)
SEED = 0
# The gold element of each kind of page (an XPath).
GOLD = {
    "books": "//main",
    "api": "//section[@id='main-content']",
    "sphinx": "//div[@role='main']",
    "asciidoc": "//div[@id='content']",
    "docbook": "//body/div[not(contains(@class, 'navheader')) and not(contains(@class, 'navfooter'))]",
}
# Where Debian's packages install the documentation of the kinds that come from them (the newest version).
DEBIAN_ROOTS = {"sphinx": "python3*/html", "asciidoc": "git-doc", "docbook": "postgresql-doc-*/html"}
# Inside the gold element, what is no part of the page's text: Sphinx's permalink signs, and the trailer
# every Git manual page ends its content with (a section "GIT" that says "Part of the git(1) suite").
NOT_GOLD = ".//a[contains(concat(' ', @class, ' '), ' headerlink ')] | .//div[@class='sect1'][h2='GIT']"
SPHINX_INDEXES = ("genindex", "py-modindex", "search")


def default_root(kind: str) -> Path | None:
    """The newest rustup toolchain's HTML documentation (books, api), or the documentation Debian's
    package installs (sphinx, asciidoc, docbook), if there is one."""
    if kind in DEBIAN_ROOTS:
        found = sorted(Path("/usr/share/doc").glob(DEBIAN_ROOTS[kind]))
    else:
        found = sorted(Path.home().glob(".rustup/toolchains/*/share/doc/rust/html"))
    return found[-1] if found else None


def sample_pages(root: Path, count: int, kind: str = "books") -> list[Path]:
    if kind == "sphinx":
        pages = sorted(path for path in root.rglob("*.html") if not path.name.startswith(SPHINX_INDEXES))
    elif kind in ("asciidoc", "docbook"):
        pages = sorted(root.rglob("*.html"))
    elif kind == "api":
        pages = sorted(path for path in (root / "std").rglob("*.html") if "arch" not in path.relative_to(root).parts)
    else:
        pages = sorted(
            path
            for book in BOOKS
            for path in (root / book).rglob("*.html")
            if path.name != "print.html" and "/zh/" not in path.as_posix()
        )
    return random.Random(SEED).sample(pages, min(count, len(pages)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", choices=sorted(GOLD), default="books")
    parser.add_argument("--root", type=Path, help="the documentation's folder (default: see above)")
    parser.add_argument("--pages", type=int, default=60)
    parser.add_argument("--worst", type=int, default=8)
    args = parser.parse_args()
    root = args.root or default_root(args.kind)
    if root is None or not root.is_dir():
        sys.exit(f"no documentation for --kind {args.kind} found: install it (see the docstring) or give --root")

    import trafilatura
    from lxml import html as lxml_html

    from cleaner import Cleaner, Options
    from cleaner.corpus.scoring import aggregate, page_scores

    cleaner = Cleaner.load()
    as_html = Options(input_format="html")
    utf8 = lxml_html.HTMLParser(encoding="utf-8")
    rows = []
    for path in sample_pages(root, args.pages, args.kind):
        page = path.read_text(encoding="utf-8")
        # From the bytes: an XHTML page's XML declaration is refused in a str.
        found = lxml_html.fromstring(path.read_bytes(), parser=utf8).xpath(GOLD[args.kind])
        if not found:
            continue
        for sign in found[0].xpath(NOT_GOLD):
            sign.drop_tree()
        gold = found[0].text_content()
        ours = page_scores(cleaner.clean(page, as_html), gold)
        theirs = page_scores(trafilatura.extract(page, include_tables=True) or "", gold)
        rows.append((path.relative_to(root), ours, theirs))

    print(f"{len(rows)} pages ({args.kind}) of {root}")
    print("| system | F1 | precision | recall |\n|---|--:|--:|--:|")
    for name, column in (("cleaner (HTML)", 1), ("trafilatura", 2)):
        scores = aggregate([row[column] for row in rows])
        print(f"| {name} | {scores.f1:.3f} | {scores.precision:.3f} | {scores.recall:.3f} |")
    print("\ncleaner's worst pages (F1, and trafilatura's):")
    for path, ours, theirs in sorted(rows, key=lambda row: aggregate([row[1]]).f1)[: args.worst]:
        print(f"  {aggregate([ours]).f1:.2f} ({aggregate([theirs]).f1:.2f})  {path}")


if __name__ == "__main__":
    main()

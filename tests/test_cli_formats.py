"""`clean --format markdown|json`, `--links` and `--no-fallback`: the command line gives what the library gives."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cleaner import Options, extract, markdown
from cleaner.cli import app

runner = CliRunner()
EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "example.html"
LINKED = (
    "<html><head><title>A walk by the river | The Paper</title><base href='https://example.org/news/'></head><body>"
    "<nav><a href='/'>Home</a></nav><article><h1>A walk by the river</h1>"
    "<p>We walked along the <a href='river.html'>river</a> for an hour, from the old mill to the bridge, "
    "and saw herons fishing in the shallows while the light went down over the water meadows.</p>"
    "<ul><li>Start at the mill, by the weir and the lock.</li><li>End at the bridge, by the inn.</li></ul>"
    "</article></body></html>"
)


def invoke(*args, input=None):
    result = runner.invoke(app, ["clean", *map(str, args)], input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def test_markdown_is_the_library_markdown():
    result = invoke("--format", "markdown", EXAMPLE)
    assert result.exit_code == 0 and result.stderr == ""
    page = EXAMPLE.read_bytes()
    assert result.stdout == markdown(page)
    assert "\n# " in "\n" + result.stdout  # the headline is a heading


def test_links_are_kept_and_absolute(tmp_path):
    path = tmp_path / "walk.html"
    path.write_text(LINKED, encoding="utf-8")
    linked = invoke("--format", "markdown", "--links", path).stdout
    assert "[river](https://example.org/news/river.html)" in linked
    assert "- Start at the mill" in linked
    assert "](" not in invoke("--format", "markdown", path).stdout


def test_json_is_the_document(tmp_path):
    result = invoke("--format", "json", EXAMPLE)
    assert result.exit_code == 0
    got = json.loads(result.stdout)
    assert got == extract(EXAMPLE.read_bytes()).to_dict()
    assert got["title"] and got["date"] == "2024-03-12" and got["language"] == "fr"
    assert result.stdout.count("\n") == 1


def test_folders_get_md_and_json_files(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "walk.html").write_text(LINKED, encoding="utf-8")
    (pages / "example.html").write_bytes(EXAMPLE.read_bytes())
    for output_format, suffix in (("markdown", ".md"), ("json", ".json")):
        out = tmp_path / output_format
        result = invoke("--format", output_format, pages, "-o", out, "--no-summary")
        assert result.exit_code == 0, result.output
        assert sorted(p.name for p in out.iterdir()) == [f"example{suffix}", f"walk{suffix}"]
    assert (tmp_path / "markdown" / "walk.md").read_text(encoding="utf-8") == markdown(LINKED)
    assert json.loads((tmp_path / "json" / "walk.json").read_text(encoding="utf-8"))["title"] == "A walk by the river"


def test_several_pages_as_markdown_to_standard_output_stay_apart(tmp_path):
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    first.write_text(LINKED, encoding="utf-8")
    second.write_text(LINKED.replace("walked", "cycled"), encoding="utf-8")
    result = invoke("--format", "markdown", first, second, "--no-summary")
    # A blank line between them: the second page's first paragraph would otherwise continue the
    # first page's last list item (CommonMark's lazy continuation).
    assert result.stdout == markdown(LINKED) + "\n" + markdown(LINKED.replace("walked", "cycled"))


def test_standard_input_as_markdown():
    result = invoke("--format", "markdown", "-", input=LINKED)
    assert result.exit_code == 0 and result.stdout == markdown(LINKED)


def test_jsonl_records_get_markdown_or_metadata(tmp_path):
    source = tmp_path / "pages.jsonl"
    source.write_text(json.dumps({"id": 1, "html": LINKED}) + "\n", encoding="utf-8")
    marked = json.loads(invoke("--jsonl-field", "html", "--format", "markdown", source, "--no-summary").stdout)
    assert marked["html_markdown"] == markdown(LINKED) and marked["html"] == extract(LINKED).text
    described = json.loads(invoke("--jsonl-field", "html", "--format", "json", source, "--no-summary").stdout)
    assert described["html_metadata"]["title"] == "A walk by the river"
    assert described["html"] == extract(LINKED).text


def test_jsonl_records_links_resolve_against_their_url(tmp_path):
    page = LINKED.replace("<base href='https://example.org/news/'>", "")
    source = tmp_path / "pages.jsonl"
    source.write_text(json.dumps({"url": "https://paper.example/news/walk", "html": page}) + "\n", encoding="utf-8")
    marked = json.loads(invoke("--jsonl-field", "html", "-f", "markdown", "--links", source, "--no-summary").stdout)
    assert "[river](https://paper.example/news/river.html)" in marked["html_markdown"]
    assert marked["html_markdown"] == markdown(page, links=True, url="https://paper.example/news/walk")


def test_no_fallback_reaches_the_decision(monkeypatch):
    # With the share raised above 1, every page holding prose counts as one the model left (nearly)
    # empty: the Document says the fallback was used, unless --no-fallback turned it off.
    monkeypatch.setattr("cleaner.decide.fallback.FALLBACK_KEPT_SHARE", 2.0)
    assert json.loads(invoke("--format", "json", EXAMPLE).stdout)["fallback"] is True
    assert json.loads(invoke("--format", "json", "--no-fallback", EXAMPLE).stdout)["fallback"] is False
    assert extract(EXAMPLE.read_bytes(), Options(fallback=False)).fallback is False


def test_formats_that_do_not_go_together(tmp_path):
    for flags in (["--labels"], ["--explain"], ["--site-boilerplate"]):
        result = invoke("--format", "markdown", EXAMPLE, *flags)
        assert result.exit_code == 1 and result.stderr.startswith("error: "), result.stderr
    for output_format in ("text", "tsv", "jsonl"):  # no Markdown to write the links into
        result = invoke("--format", output_format, "--links", EXAMPLE)
        assert result.exit_code == 1 and "--links writes the links into the Markdown" in result.stderr

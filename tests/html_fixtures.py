"""Pages and helpers the HTML segmenter's tests share (tests/test_html.py, test_html_markup.py,
test_html_decode.py)."""

from __future__ import annotations

from cleaner.read import segment_html
from cleaner.records import Line, Markup

PROSE = (
    "The council voted on Tuesday to extend the tram line to the northern suburbs, a project "
    "that has been debated for more than a decade."
)
PROSE_2 = (
    "Construction is expected to start next spring, and the first trams should run in 2027, "
    "according to the city's transport department."
)
PROSE_3 = (
    "Opponents say the money would be better spent on buses, which can serve more neighbourhoods "
    "for the same cost, and they plan to appeal."
)

ARTICLE_PAGE = f"""<!DOCTYPE html>
<html><head><title>Tram line</title><script>var tracking = "<p>not text</p>";</script>
<style>p {{ color: red }}</style></head>
<body>
<header class="site-header"><nav id="topNav"><ul>
  <li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li>
</ul></nav></header>
<div class="layout">
  <article class="story">
    <h1>Tram line to reach the north</h1>
    <p class="byline">By Jane Doe</p>
    <p>{PROSE}</p>
    <p>{PROSE_2}</p>
    <p>{PROSE_3}</p>
  </article>
  <aside class="sidebar">
    <h3>Most read</h3>
    <ul><li><a href="/a">Mayor resigns</a></li><li><a href="/b">Bridge closed</a></li></ul>
    <p>Subscribe to our newsletter to receive the best stories of the week, every Friday morning, free.</p>
  </aside>
</div>
<footer><p>Copyright 2024 The City Paper. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body></html>"""


def texts(page: str | bytes) -> list[str]:
    return [line.text for line in segment_html(page)]


def markup(line: Line) -> Markup:
    assert line.markup is not None
    return line.markup


def line_with(lines: list[Line], text: str) -> Line:
    return next(line for line in lines if line.text == text)

"""The page's main container (``Markup.in_main``): anchored on the page's title heading (the story the
page is titled for, not the densest block of prose elsewhere on it), with code counted as content."""

from __future__ import annotations

from cleaner.read import segment_html
from cleaner.records import Line

ONE = (
    "The council voted on Tuesday to extend the tram line to the northern suburbs, a project that "
    "has been debated for more than a decade."
)
TWO = (
    "Construction is expected to start next spring, and the first trams should run in 2027, "
    "according to the city's transport department."
)
THREE = (
    "Opponents say the money would be better spent on buses, which can serve more neighbourhoods for "
    "the same cost, and they plan to appeal."
)

# Menus: text outside the stories, so that the page's body is not itself the densest container.
MENU = "<ul>" + "".join(f"<li><a href='/s{n}'>Section number {n}</a></li>" for n in range(30)) + "</ul>"


def main_texts(page: str) -> set[str]:
    lines: list[Line] = segment_html(page)
    return {line.text for line in lines if line.markup is not None and line.markup.in_main}


def test_an_endless_scroll_page_keeps_the_story_it_is_titled_for():
    # The next story below is longer: it is the densest container, but not the page's story.
    page = f"""<html><head><title>Tram line reaches the north | City News</title></head><body>{MENU}
    <article><h1>Tram line reaches the north</h1><p>{ONE}</p></article>
    <article><h1>Buses get a new depot</h1><p>{ONE}</p><p>{TWO}</p><p>{THREE}</p></article></body></html>"""
    assert main_texts(page) == {"Tram line reaches the north", ONE}
    # Without the title heading, the densest container stands.
    untitled = page.replace("<title>Tram line reaches the north | City News</title>", "")
    assert main_texts(untitled) == {"Buses get a new depot", ONE, TWO, THREE}


def test_a_box_above_the_titled_post_is_not_the_main_container():
    page = f"""<html><head><title>A small victory dance</title></head><body>{MENU}
    <div class="notice"><p>{ONE}</p><p>{TWO}</p><p>{THREE}</p></div>
    <div class="thread"><h1>A small victory dance</h1><div class="post"><p>{ONE}</p></div></div>
    </body></html>"""
    assert {"A small victory dance", ONE} <= main_texts(page)
    without_title = page.replace("<title>A small victory dance</title>", "")
    assert "A small victory dance" not in main_texts(without_title)


def test_what_does_not_move_the_main_container():
    story = f"<article><h1>Tram line reaches the north</h1><p>{ONE}</p><p>{TWO}</p><p>{THREE}</p></article>"
    # The title heading inside the densest container, or before it with no other story's <h1> between
    # (an <h1> caption inside the article does not count as the next story: it matches the title).
    head = "<head><title>Tram line reaches the north</title></head>"
    assert main_texts(f"<html>{head}<body>{story}<aside><p>{ONE}</p></aside></body></html>") == {
        "Tram line reaches the north",
        ONE,
        TWO,
        THREE,
    }
    header_apart = story.replace(
        "<article><h1>Tram line reaches the north</h1>", "<h1>Tram line reaches the north</h1><article>"
    )
    assert {ONE, TWO, THREE} <= main_texts(f"<html>{head}<body>{header_apart}</body></html>")
    # The page's title repeated as a link in a list of popular stories after the article.
    popular = "<ul><li><h4><a href='/tram'>Tram line reaches the north</a></h4></li></ul>"
    other = story.replace("<h1>Tram line reaches the north</h1>", "<h1>Another headline entirely</h1>")
    assert main_texts(f"<html>{head}<body>{MENU}{other}{popular}</body></html>") == {
        "Another headline entirely",
        ONE,
        TWO,
        THREE,
    }
    # A one-word title ("Home") anchors nothing.
    home = (
        f"<html><head><title>Home</title></head><body>{MENU}<div><h2>Home</h2><p>{ONE}</p></div>{other}</body></html>"
    )
    assert main_texts(home) == {"Another headline entirely", ONE, TWO, THREE}


def test_a_box_of_teasers_below_the_titled_story_is_not_the_main_container():
    # The story holds a share bar of links, so a short box of pure prose below it is denser; but more
    # prose lies between the title heading and that box than in it: the story is the main container.
    share = "<ul>" + "".join(f"<li><a href='/share{n}'>Share this story on network {n}</a></li>" for n in range(20))
    menu = "<ul>" + "".join(f"<li><a href='/s{n}'>Section number {n}</a></li>" for n in range(80)) + "</ul>"
    teaser = "Read next: the city plans a second tram line to the airport, to open within five years."
    page = f"""<html><head><title>Tram line reaches the north - City News</title></head><body>{menu}
    <div class="story"><h1>Tram line reaches the north</h1><p>{ONE}</p><p>{TWO}</p>{share}</ul><p>{THREE}</p></div>
    <div class="next"><p>{teaser}</p><p>{teaser.replace("airport", "harbour")}</p></div></body></html>"""
    main = main_texts(page)
    assert {"Tram line reaches the north", ONE, TWO, THREE} <= main and teaser not in main
    # With less prose between the heading and the box than in it, the box stands.
    short = page.replace(f"<p>{TWO}</p>", "").replace(f"<p>{THREE}</p>", "")
    assert teaser in main_texts(short) and ONE not in main_texts(short)
    # A title heading that is a link (the story's permalink) anchors the story as well.
    linked = page.replace(
        "<h1>Tram line reaches the north</h1>", "<h1><a href='/tram'>Tram line reaches the north</a></h1>"
    )
    assert {ONE, TWO, THREE} <= main_texts(linked) and teaser not in main_texts(linked)


def test_code_counts_with_the_prose_of_a_container():
    # A forum answer that is mostly code, beside a box of three sentences: the answer is the content.
    menu = "<ul>" + "".join(f"<li><a href='/s{n}'>Section number {n}</a></li>" for n in range(60)) + "</ul>"
    code = "\n".join(f"docker run --name service{n} -p 80{n}:80 image:{n}" for n in range(8))
    page = f"""<html><body>{menu}<div class="box"><p>{ONE}</p><p>{TWO}</p><p>{THREE}</p></div>
    <div class="answer"><p>{ONE}</p><pre>{code}</pre></div></body></html>"""
    main = main_texts(page)
    assert ONE in main and "docker run --name service0 -p 800:80 image:0" in main
    assert TWO not in main


def test_the_main_element_holds_the_main_container():
    # A sidebar's stream of long entries outweighs a one-post thread; the post is in <main>.
    stream = "".join(f"<div class='entry'><p>{text}</p></div>" for text in (ONE, TWO, THREE, ONE, TWO))
    page = f"""<html><body><div id="page">{MENU}<main><div class="post"><p>{TWO}</p></div></main>
    <div id="side">{stream}</div></div></body></html>"""
    assert main_texts(page) == {TWO}
    # Without a <main>, the densest container stands; a <main> around both changes nothing.
    assert main_texts(page.replace("main>", "div>")) == {ONE, TWO, THREE}
    around = page.replace('<div id="page">', "<div id='page'><main>").replace("</div></body>", "</main></div></body>")
    assert main_texts(around) == main_texts(page.replace("main>", "div>"))
    # ARIA's role="main" is the same mark (Sphinx's and Read the Docs' themes have no <main>); only as
    # the element's first role, and only "main" itself.
    role = page.replace("<main>", "<div role=' Main  region'>").replace("</main>", "</div>")
    assert main_texts(role) == {TWO}
    assert main_texts(role.replace("Main  region", "region main")) == {ONE, TWO, THREE}
    assert main_texts(role.replace("Main  region", "mainland")) == {ONE, TWO, THREE}

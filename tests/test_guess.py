"""Undeclared pages in legacy encodings are read in theirs (cleaner.read.guess), and nothing else moves:
UTF-8, declared charsets and western windows-1252 pages read as before."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.read.decode import decode_html, decode_text
from cleaner.read.guess import guess_encoding

# Two sentences of each language, as a page holds them (markup in ASCII around the text).
TEXTS = {
    "french": "Les élèves de l'école ont été reçus à la préfecture, où le préfet les a félicités. "
    "Déjà, l'été prochain, ils présenteront leurs travaux à la bibliothèque.",
    "german": "Die Schüler überquerten die Straße, größer als erwartet war der Andrang. "
    "Für die Fußgänger gab es eine Umleitung über den Marktplatz.",
    "polish": "Zażółć gęślą jaźń. Pójdź w głąb lasu, gdzie ćma i żółw śpią pod starym dębem, "
    "a wiatr szumi w gałęziach.",
    "czech": "Příliš žluťoučký kůň úpěl ďábelské ódy. Česká republika leží ve střední Evropě "
    "a její hlavní město je Praha.",
    "russian": "Привет, мир! Это пример текста на русском языке, в котором много слов. "
    "Москва является столицей России, а Нева течёт через Петербург.",
    "greek": "Καλημέρα κόσμε, αυτό είναι ελληνικό κείμενο με πολλές λέξεις. Η Αθήνα είναι η πρωτεύουσα της Ελλάδας.",
    "hebrew": "שלום עולם, זהו טקסט בעברית עם הרבה מילים. ירושלים היא עיר עתיקה מאוד.",
    "arabic": "مرحبا بالعالم، هذا نص باللغة العربية مع العديد من الكلمات. القاهرة مدينة كبيرة.",
    "thai": "สวัสดีชาวโลก นี่คือข้อความภาษาไทยที่มีคำมากมาย กรุงเทพมหานครเป็นเมืองหลวง",
    "japanese": "これは日本語のテキストです。東京都の天気は晴れでしょう。"
    "外側の表側には、３種類のポケットが縦に１つずつ付いています。",
    "chinese": "这是一个中文文本的例子，北京的天气很好。我们今天去公园散步了，看到了很多花。",
    "traditional chinese": "這是一個中文文本的例子，台北的天氣很好。我們今天去公園散步了，看到了很多花。",
    "korean": "안녕하세요 세계, 이것은 한국어 텍스트입니다. 서울의 날씨가 좋습니다. 우리는 공원에 갔습니다.",
}
CASES = [
    ("french", "cp1252"),
    ("german", "cp1252"),
    ("polish", "cp1250"),
    ("czech", "cp1250"),
    ("russian", "cp1251"),
    ("russian", "koi8_r"),
    ("greek", "cp1253"),
    ("hebrew", "cp1255"),
    ("arabic", "cp1256"),
    ("thai", "cp874"),
    ("japanese", "euc_jp"),
    ("japanese", "cp932"),
    ("chinese", "gb18030"),
    ("traditional chinese", "big5hkscs"),
    ("korean", "cp949"),
]


def page(text: str) -> str:
    return f'<html><head><title>Page</title></head><body><div class="article"><p>{text}</p></div></body></html>'


@pytest.mark.parametrize("language, codec", CASES, ids=[f"{language}-{codec}" for language, codec in CASES])
def test_an_undeclared_page_is_read_in_its_encoding(language, codec):
    html = page(TEXTS[language])
    decoded = decode_html(html.encode(codec))
    assert decoded.text == html and not decoded.replaced
    assert decode_text(TEXTS[language].encode(codec)).text == TEXTS[language]


def test_declared_and_utf8_pages_are_read_as_before():
    text = TEXTS["russian"]
    declared = f'<html><head><meta charset="koi8-r"></head><body><p>{text}</p></body></html>'
    assert decode_html(declared.encode("koi8_r")).encoding == "koi8-r"
    assert decode_html(page(text).encode("utf-8")).encoding == "utf-8"
    assert decode_text(text.encode("utf-8")).encoding == "utf-8"


def test_nearly_utf8_stays_utf8():
    # A page cut in the middle of a character, or one stray byte among many characters, is UTF-8.
    data = page(TEXTS["japanese"]).encode("utf-8")
    assert guess_encoding(data[:-30]) == "utf-8"
    assert guess_encoding(data + b"\xe9 stray") == "utf-8"
    decoded = decode_html(data[:100] + b"\xff" + data[100:])
    assert decoded.encoding == "utf-8" and decoded.replaced and "日本語" in decoded.text


def test_latin_text_is_not_read_as_east_asian():
    # "élève" in windows-1252 is valid GB18030 and Big5 (two ideographs and an "e").
    data = ("<p>" + "Un élève très appliqué, élu délégué. " * 20 + "</p>").encode("cp1252")
    assert guess_encoding(data) == "cp1252"


@pytest.mark.parametrize("data", [b"", b"\xff", b"\x81\x8d\x8f\x90\x9d" * 10, bytes(range(128, 256)) * 8])
def test_odd_bytes_get_an_encoding(data):
    codec = guess_encoding(data)
    data.decode(codec, errors="replace")
    assert guess_encoding(data) == codec  # the same answer every time


def test_a_few_east_asian_characters_among_latin_text():
    # A footer's full-width colons and licence number, the only characters outside ASCII of the page.
    html = "<html><body><p>Bondtek. All rights reserved.</p><p>TEL： FAX： MAIL：contact</p><p>苏ICP备 号</p></body></html>"
    assert guess_encoding(html.encode("gb18030")) == "gb18030"


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.binary(max_size=2_000), st.sampled_from(["", "é", "Ж", "日本", "中文", "한국"]))
def test_any_bytes_get_an_encoding_that_reads_them(data, text):
    # Arbitrary bytes, alone or around text of an encoding.
    for sample in (data, text.encode("utf-8") + data, data + text.encode("gb18030", errors="replace")):
        codec = guess_encoding(sample)
        sample.decode(codec, errors="replace")
        assert guess_encoding(sample) == codec


# Pages where an earlier guess went wrong: each read in its encoding.
HARD_CASES = [
    ("<p>It’s fine…really, said the “tech” founder • Home • About ™</p>", "cp1252"),
    ("<h1>JOSÉ’S CAFÉ</h1><p>Best tacos in town.</p>", "cp1252"),
    ("<p>The New Express (新快报) said.</p>", "gb18030"),
    ("<p>привет, как дела? всё хорошо, спасибо.</p>", "koi8_r"),
    ("<p>купить недорого москва доставка</p>", "cp1251"),
    ("<p>ГЛАВНАЯ НОВОСТИ СПОРТ ПОГОДА КОНТАКТЫ</p>", "koi8_r"),
    ("<p>Příští týden se v Brně koná veletrh.</p>", "cp1250"),
    (
        "<p>Magyarország kormánya ma elfogadta a jövő évi költségvetést, amely a gazdasági növekedést "
        "ösztönzi. A miniszterelnök szerint az adók csökkennek.</p>",
        "cp1250",
    ),
    (
        "<p>Hrvatska vlada je u četvrtak održala sjednicu na kojoj je raspravljala o proračunu za sljedeću "
        "godinu. Ministar financija rekao je da će porezi biti smanjeni.</p>",
        "cp1250",
    ),
    ("<p>Türk girişimcilere yeni destek paketi açıklandı.</p>", "cp1254"),
    (
        "<p>Latvijas valdība šodien apstiprināja nākamā gada budžetu, kas paredz ievērojamu nodokļu "
        "samazinājumu un lielākus ieguldījumus izglītībā.</p>",
        "cp1257",
    ),
    ("<p>Lietuvos vyriausybė šiandien patvirtino naują biudžetą.</p>", "cp1257"),
    ("<p>מִזְמוֹר לְדָוִד. יְהוָה רֹעִי לֹא אֶחְסָר.</p>", "cp1255"),
    ("<p>بِسْمِ اللَّهِ الرَّحْمَنِ الرَّحِيمِ. الْحَمْدُ لِلَّهِ رَبِّ الْعَالَمِينَ</p>", "cp1256"),
    ("<ul><li>北海道</li><li>青森県</li><li>岩手県</li><li>宮城県</li><li>東京都</li><li>大阪府</li></ul>", "euc_jp"),
    ("<ul><li>北海道</li><li>青森県</li><li>岩手県</li><li>宮城県</li><li>東京都</li><li>大阪府</li></ul>", "cp932"),
]


@pytest.mark.parametrize("html, codec", HARD_CASES, ids=[f"{i}-{codec}" for i, (_, codec) in enumerate(HARD_CASES)])
def test_hard_cases(html, codec):
    data = html.encode(codec)
    assert data.decode(guess_encoding(data)) == html


def test_text_after_a_long_ascii_start_is_read_in_its_encoding():
    # 64 KiB of script before the text: the guess reads from the first byte outside ASCII.
    script = "<script>" + "var a = 1;\n" * 7500 + "</script>"
    html = f"<html><head>{script}</head><body><p>Café crème — it’s déjà vu.</p></body></html>"
    assert decode_html(html.encode("cp1252")).text == html
    text = "x = 1\n" * 20_000 + "Привет, мир! Это пример текста на русском языке.\n"
    assert decode_text(text.encode("cp1251")).text == text


@pytest.mark.parametrize("chunk", [1, 7, 4096])
def test_a_stream_is_decoded_as_the_whole_input(chunk):
    from cleaner.read.decode import TextStreamDecoder

    text = "x = 1\n" * 20_000 + "Привет, мир! Это пример текста на русском языке.\n" * 3
    data = text.encode("koi8_r")
    decoder = TextStreamDecoder(data[:65_536])
    streamed = "".join(decoder.decode(data[i : i + chunk]) for i in range(0, len(data), chunk))
    streamed += decoder.decode(b"", final=True)
    assert streamed == decode_text(data).text == text

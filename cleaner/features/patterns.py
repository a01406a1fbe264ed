"""Compiled patterns the line features count: prices, postcodes, dates, links, calls to action, ...

Every pattern runs once over a whole page (not line by line) and its matches are mapped back to
lines, so the cost is one regex scan per pattern per page. Word lists cover the languages of
the web pages the project is trained on; they are hints, the shape features carry the model on
a language the lists do not know.
"""

from __future__ import annotations

import re

from cleaner.features.chars import CLOSERS, CURRENCY_SYMBOLS, LIST_BULLETS, MENU_MARK_CHARS, TERMINAL_CHARS, char_class


def _split_alternatives(words: str) -> list[str]:
    """The top-level alternatives of a regex alternation ("a|b(?:c|d)" -> ["a", "b(?:c|d)"])."""
    out, depth, start, i = [], 0, 0, 0
    while i < len(words):
        char = words[i]
        if char == "\\":
            i += 2
            continue
        depth += (char == "(") - (char == ")")
        if char == "|" and depth == 0:
            out.append(words[start:i])
            start = i + 1
        i += 1
    out.append(words[start:])
    return out


# Characters with a meaning in a regex, and the quantifiers (which apply to the character before them).
_REGEX_SYNTAX = "\\.^$*+?{}[]|()"
_QUANTIFIERS = ("?", "*", "+", "{")


def _starts_with_literal(alternative: str) -> bool:
    return alternative[:1] not in ("", *_REGEX_SYNTAX) and alternative[1:2] not in _QUANTIFIERS


def _trie(alternatives: list[str]) -> str:
    """One regex for an ordered alternation, factored on shared leading letters ("ab|ac" -> "a(?:b|c)").

    Python's re tries the alternatives of an alternation one after another at every position; the
    factored form rejects a position after one character instead of after every alternative. Each
    alternative keeps its place among those sharing its prefix, so the same alternative wins as in
    the plain alternation and every match is the same.
    """
    if len(alternatives) > 1 and all(map(_starts_with_literal, alternatives)):
        by_first: dict[str, list[str]] = {}
        for alternative in alternatives:
            by_first.setdefault(alternative[0], []).append(alternative[1:])
        parts = [re.escape(first) + _trie(rest) for first, rest in by_first.items()]
        return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
    if len(alternatives) == 1:
        return alternatives[0]  # a top-level alternative: safe to append to a prefix as it is
    return "(?:" + "|".join(alternatives) + ")"


_CURRENCY = char_class(CURRENCY_SYMBOLS)
_CURRENCY_WORD = r"(?:EUR|USD|GBP|CHF|CAD|AUD|JPY|HUF|Ft|euros?|dollars?|pounds?)"
# Patterns run over a page's lines joined by newlines, so a match must never cross a line end:
# they use _SP (white space other than a newline) where a line-level regex would use \s.
_SP = r"[^\S\n]"
# A number with optional thousands groups ("60 000", "1,200", "22.900") and decimals.
_AMOUNT = r"\d{1,3}(?:[ .,'\u00a0\u202f]\d{3})*(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"

PRICE = re.compile(
    rf"(?:{_CURRENCY}{_SP}?(?:{_AMOUNT}))"
    rf"|(?:(?<![\w.,])(?:{_AMOUNT}){_SP}?(?:{_CURRENCY}|{_CURRENCY_WORD}\b))"
)

# Every match of PRICE holds a currency symbol or one of these words: lines without either are not scanned.
CURRENCY_HINT_WORDS = ("EUR", "USD", "GBP", "CHF", "CAD", "AUD", "JPY", "HUF", "Ft", "euro", "dollar", "pound")
CURRENCY_WORD_HINT = re.compile("|".join(CURRENCY_HINT_WORDS))

# Grouped by first character, each group keeping the order of its alternatives (the same matches as
# the plain alternation; see DATE below for why the word boundary comes after that character).
POSTCODE = re.compile(
    r"\(\d{4,5}\)"  # French and Belgian/Swiss classifieds: "Lyon (69001)"
    r"|\d(?<!\w\d)(?:"  # \b\d
    rf"\d{{4}}{_SP}+[A-ZÀ-Ý][a-zà-ÿ]"  # "75001 Paris", "10115 Berlin"
    rf"|\d{{3}}{_SP}?[A-Z]{{2}}\b"  # Netherlands: "1012 AB"
    r")|[A-Z](?<!\w[A-Z])(?:"  # \b[A-Z]
    rf"[A-Z]?\d[A-Z\d]?{_SP}\d[A-Z]{{2}}\b"  # UK: "SW1A 1AA"
    rf"|[A-Z]{_SP}\d{{5}}(?:-\d{{4}})?\b"  # US: "NY 10001"
    rf"|\d[A-Z]{_SP}?\d[A-Z]\d\b"  # Canada: "K1A 0B1"
    r")"
)

# At least three groups of digits: "01 23 45 67 89", "+33 1 23 45 67 89", "(555) 123-4567".
PHONE = re.compile(
    rf"(?<![\w(])(?:\+\d{{1,3}}{_SP}?)?(?:\(\d{{1,4}}\){_SP}?)?\d{{2,4}}(?:[ .\-\u00a0]\d{{2,4}}){{2,4}}(?![\w€$£])"
)

MONTH_NAMES: tuple[str, ...] = tuple(
    # en, fr, de, es, it, pt, nl, hu; full names and common abbreviations
    (
        "january|february|march|april|may|june|july|august|september|october|november|december"
        "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
        "|janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre"
        "|januar|februar|märz|juni|juli|oktober|dezember"
        "|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre"
        "|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre"
        "|janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|dezembro"
        "|januari|februari|maart|mei|augustus"
        "|január|február|március|április|május|június|július|augusztus|szeptember|október|december"
    ).split("|")
)
_MONTHS = "|".join(MONTH_NAMES)
# The ordinal suffixes a day may carry: "1er", "3rd".
DATE_SUFFIXES = ("st", "nd", "rd", "th", "er")
# Python's re scans fast for patterns that start with a digit or a literal, slowly for a long
# alternation of words at every position; so dates are found from their digits: numeric dates and
# "24 avril 2019" directly, "April 3, 2020" by looking back from the year (MONTH_BEFORE_YEAR).
# For the same reason, a pattern that begins at a word boundary puts the check after its first
# character: re skips ahead to the next digit for "\d(?<!\w\d)", but tries every position for "\b\d"
# (the same matches; tests/test_features.py checks each against its "\b" form).
DATE = re.compile(
    r"\d(?<!\w\d)(?:"  # \b\d
    r"\d{3}-\d{2}-\d{2}\b"  # 2019-04-24
    r"|\d?[/.-]\d{1,2}[/.-]\d{2,4}\b"  # 24/04/2019, 4.24.19
    rf"|\d?(?:{'|'.join(DATE_SUFFIXES)})?\.?{_SP}+(?:{_MONTHS})\b"  # 24 avril, 1er mai, 3rd march
    r")"
)  # matched against lower-cased text
# Only whether it matches counts (any month name will do), so the factored form of the names.
MONTH_BEFORE_YEAR = re.compile(
    rf"\b{_trie(_split_alternatives(_MONTHS))}\.?{_SP}+(?:\d{{1,2}}(?:st|nd|rd|th)?,?{_SP}+)?$"
)
# How far before a year MONTH_BEFORE_YEAR looks.
MONTH_LOOKBACK = 24
# "9:30", "14h05", "9 am"; matched against lower-cased text.
TIME = re.compile(rf"\d(?<!\w\d)\d?{_SP}?(?:[:h]{_SP}?\d{{2}}\b|[ap]\.?m\b\.?)")
YEAR = re.compile(r"(?:19|20)(?<!\w\d\d)\d\d\b")  # 1900-2099, a whole number

# Link text in Markdown ("[text](url)", "![alt](src)") and bare URLs: the line's link characters.
# "!\[|\[" is "!?\[" in a form re scans quickly (an alternation of literals: it skips to a "!" or "[").
MARKDOWN_LINK = re.compile(r"(?:!\[|\[)[^\]\n]{0,500}\]\([^)\n]{0,2000}\)")
# Bare URLs; a match right after "(" or a letter is part of a Markdown link or a word (checked in features).
BARE_URL = re.compile(r"(?:https?://|www\.)[^\s)\]]+")
# Anchored on "@" (a literal is fast to scan for); a word character must stand before it (checked in features).
EMAIL = re.compile(r"@[\w-]+\.[\w.-]*\w")

MARKDOWN_HEADING = re.compile(r"^#{1,6}\s", re.MULTILINE)
LIST_ITEM = re.compile(rf"^{_SP}*(?:{char_class(LIST_BULLETS)}|\d{{1,3}}[.)]){_SP}", re.MULTILINE)
TABLE_ROW = re.compile(rf"^{_SP}*\|.*\|{_SP}*$", re.MULTILINE)
# Separators that string menu entries and breadcrumbs together: "Home | News | Sport", "A › B".
MENU_SEPARATOR = re.compile(rf"{_SP}(?:{char_class(MENU_MARK_CHARS)}{_SP}|\|{_SP}?)|\|{_SP}")
# A sentence end, possibly followed by closing quotes or brackets (French puts a space before »).
# The definition: the fast features read it backwards from each line's end (text.ends_terminal),
# and the tests check the two agree.
TERMINAL_END = re.compile(rf"{char_class(TERMINAL_CHARS)}(?:{_SP}?{char_class(CLOSERS)})*{_SP}*$", re.MULTILINE)

# Word lists (alternations) are matched against lower-cased text, case-sensitively: one scan of
# one alternation (LEXICON, below) is several times faster than a case-insensitive scan per list.


# Calls to action: the imperative words of buttons, prompts and menus.
CALL_TO_ACTION = (
    r"subscribe|unsubscribe|sign ?up|sign ?in|log ?in|log ?out|register|click|download|share|follow"
    r"|read more|see more|learn more|show more|load more|continue reading|back to top|buy|shop|order now|install"
    r"|abonnez(?:-vous)?|s'abonner|inscri\w*|connectez(?:-vous)?|connexion|cliquez|télécharge\w*|partage\w*"
    r"|suivez(?:-nous)?|découvrir|découvrez|voir plus|lire la suite|en savoir plus|retour|imprimer|envoyer|acheter"
    r"|anmelden|abonnieren|teilen|weiterlesen|mehr lesen|suscríbete|compartir|leer más|iscriviti|condividi"
    r"|feliratkozás|megosztás|tovább|bejelentkezés|jetzt abonnieren|abopflichtig\w*|réservé aux abonnés"
    r"|il vous reste|zaloguj się|subskrybuj|udostępnij|czytaj dalej|hazte socio|inicia sesión"
)
SOCIAL = (
    r"facebook|twitter|instagram|linkedin|whatsapp|youtube|pinterest|tiktok|reddit|telegram|snapchat"
    r"|flipboard|mastodon|rss|tumblr|messenger"
)
LEGAL = (
    r"cookies?|privacy|copyright|all rights reserved|terms of (?:use|service)|terms and conditions|legal notice"
    r"|confidentialité|mentions légales|données personnelles|tous droits réservés|cgu|cgv|rgpd|gdpr"
    r"|impressum|datenschutz|aviso legal|privacidad|adatvédelem"
)
COMMENT_WORDS = (
    r"comments?|commentaires?|commenter|réagir|reply|répondre|signaler|report abuse|abus|abusif"
    r"|caractères restants|characters (?:left|remaining)|posted by|kommentare?|comentarios?|commenti|hozzászólás\w*"
)
RELATED_WORDS = (
    r"à lire aussi|lire aussi|voir aussi|see also|read also|also read|related|recommended|recommande\w*"
    r"|you may also like|you might also like|more from|more stories|most read|most popular|les plus lus"
    r"|sur le même sujet|dans la même rubrique|trending|lesen sie auch|auch interessant|te puede interesar"
    r"|le consigliamo|ajánló|lire également|mehr zum thema|das könnte sie auch interessieren|lee también"
    r"|lea también|leia também|leggi anche|vedi anche|lees ook|zie ook|czytaj (?:także|też)|zobacz (?:także|też)"
    r"|przeczytaj (?:także|też)"
)
BYLINE_WORDS = (
    r"by|par|von|por|di|crédit|credit|photo|photos|afp|reuters|ap|getty|images|published|updated|publié|mis à jour"
    r"|min read|min de lecture|lecture|auteur|author|journalist\w*|rédaction|staff"
)
LEXICON_GROUPS: dict[str, str] = {
    "call_to_action": CALL_TO_ACTION,
    "social": SOCIAL,
    "legal": LEGAL,
    "comment_words": COMMENT_WORDS,
    "related_words": RELATED_WORDS,
    "byline_words": BYLINE_WORDS,
}
# The readable definition: a hit is where this matches, and its list is the group that matched.
LEXICON = re.compile(
    r"(?<!\w)(?:" + "|".join(f"(?P<{name}>{words})" for name, words in LEXICON_GROUPS.items()) + r")(?!\w)"
)


COPYRIGHT_MARKS = ("©", "(c)", "®", "™")
COPYRIGHT = re.compile("|".join(map(re.escape, COPYRIGHT_MARKS)))  # lower-cased text

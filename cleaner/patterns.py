"""Compiled patterns the line features count: prices, postcodes, dates, links, calls to action, ...

Every pattern runs once over a whole page (not line by line) and its matches are mapped back to
lines, so the cost is one regex scan per pattern per page. Word lists cover the languages of
the web pages the project is trained on; they are hints, the shape features carry the model on
a language the lists do not know.
"""

from __future__ import annotations

import re

_CURRENCY_SYMBOL = "$€£¥₹₽₩₺"
_CURRENCY_WORD = r"(?:EUR|USD|GBP|CHF|CAD|AUD|JPY|HUF|Ft|euros?|dollars?|pounds?)"
# A number with optional thousands groups ("60 000", "1,200", "22.900") and decimals.
_AMOUNT = r"\d{1,3}(?:[ .,'\u00a0\u202f]\d{3})*(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"

PRICE = re.compile(
    rf"(?:[{_CURRENCY_SYMBOL}]\s?(?:{_AMOUNT}))"
    rf"|(?:(?<![\w.,])(?:{_AMOUNT})\s?(?:[{_CURRENCY_SYMBOL}]|{_CURRENCY_WORD}\b))"
)

POSTCODE = re.compile(
    r"\(\d{4,5}\)"  # French and Belgian/Swiss classifieds: "Lyon (69001)"
    r"|\b\d{5}\s+[A-ZÀ-Ý][a-zà-ÿ]"  # "75001 Paris", "10115 Berlin"
    r"|\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b"  # UK: "SW1A 1AA"
    r"|\b[A-Z]{2}\s\d{5}(?:-\d{4})?\b"  # US: "NY 10001"
    r"|\b[A-Z]\d[A-Z]\s?\d[A-Z]\d\b"  # Canada: "K1A 0B1"
    r"|\b\d{4}\s?[A-Z]{2}\b"  # Netherlands: "1012 AB"
)

PHONE = re.compile(r"(?:\+\d{1,3}[\s.-]?)?\(?\d{2,4}\)?(?:[\s.-]\d{2,4}){2,4}\b")

_MONTHS = (
    # en, fr, de, es, it, pt, nl, hu; full names and common abbreviations
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
    "|janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre"
    "|januar|februar|märz|juni|juli|oktober|dezember"
    "|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre"
    "|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre"
    "|janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|dezembro"
    "|januari|februari|maart|mei|augustus"
    "|január|február|március|április|május|június|július|augusztus|szeptember|október|december"
)
DATE = re.compile(
    r"\b\d{4}-\d{2}-\d{2}\b"
    r"|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b"
    rf"|\b(?:\d{{1,2}}(?:st|nd|rd|th|er)?\.?\s+)?(?:{_MONTHS})\.?\s+(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+)?(?:19|20)\d\d\b"
    rf"|\b\d{{1,2}}(?:er)?\.?\s+(?:{_MONTHS})\b",
    re.IGNORECASE,
)
TIME = re.compile(r"\b\d{1,2}\s?(?:[:hH]\s?\d{2}\b|[ap]\.?m\b\.?)", re.IGNORECASE)
YEAR = re.compile(r"\b(?:19|20)\d\d\b")

# Link text in Markdown ("[text](url)", "![alt](src)") and bare URLs: the line's link characters.
MARKDOWN_LINK = re.compile(r"!?\[[^\]\n]{0,500}\]\([^)\n]{0,2000}\)")
BARE_URL = re.compile(r"(?<![(\w])(?:https?://|www\.)[^\s)\]]+")
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")

MARKDOWN_HEADING = re.compile(r"^#{1,6}\s", re.MULTILINE)
LIST_ITEM = re.compile(r"^\s*(?:[-*+•·▪►▸◦]|\d{1,3}[.)])\s", re.MULTILINE)
TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$", re.MULTILINE)
# Separators that string menu entries and breadcrumbs together: "Home | News | Sport", "A › B".
MENU_SEPARATOR = re.compile(r"\s[|•·»›>/–]\s|\s\|\s?|\|\s")
TERMINAL_END = re.compile(r"[.!?。！？…]['\"»”’)\]]*\s*$", re.MULTILINE)

_WORD_START = r"(?<!\w)"
_WORD_END = r"(?!\w)"


def _lexicon(words: str) -> re.Pattern[str]:
    return re.compile(f"{_WORD_START}(?:{words}){_WORD_END}", re.IGNORECASE)


# Calls to action: the imperative words of buttons, prompts and menus.
CALL_TO_ACTION = _lexicon(
    r"subscribe|unsubscribe|sign ?up|sign ?in|log ?in|log ?out|register|click|download|share|follow"
    r"|read more|see more|learn more|show more|load more|continue reading|back to top|buy|shop|order now|install"
    r"|abonnez(?:-vous)?|s'abonner|inscri\w*|connectez(?:-vous)?|connexion|cliquez|télécharge\w*|partage\w*"
    r"|suivez(?:-nous)?|découvrir|découvrez|voir plus|lire la suite|en savoir plus|retour|imprimer|envoyer|acheter"
    r"|anmelden|abonnieren|teilen|weiterlesen|mehr lesen|suscríbete|compartir|leer más|iscriviti|condividi"
    r"|feliratkozás|megosztás|tovább|bejelentkezés"
)
SOCIAL = _lexicon(
    r"facebook|twitter|instagram|linkedin|whatsapp|youtube|pinterest|tiktok|reddit|telegram|snapchat"
    r"|flipboard|mastodon|rss|tumblr|messenger"
)
LEGAL = _lexicon(
    r"cookies?|privacy|copyright|all rights reserved|terms of (?:use|service)|terms and conditions|legal notice"
    r"|confidentialité|mentions légales|données personnelles|tous droits réservés|cgu|cgv|rgpd|gdpr"
    r"|impressum|datenschutz|aviso legal|privacidad|adatvédelem"
) 
COMMENT_WORDS = _lexicon(
    r"comments?|commentaires?|commenter|réagir|reply|répondre|signaler|report abuse|abus|abusif"
    r"|caractères restants|characters (?:left|remaining)|posted by|kommentare?|comentarios?|commenti|hozzászólás\w*"
)
RELATED_WORDS = _lexicon(
    r"à lire aussi|lire aussi|voir aussi|see also|read also|also read|related|recommended|recommande\w*"
    r"|you may also like|you might also like|more from|more stories|most read|most popular|les plus lus"
    r"|sur le même sujet|dans la même rubrique|trending|lesen sie auch|auch interessant|te puede interesar"
    r"|le consigliamo|ajánló"
)
BYLINE_WORDS = _lexicon(
    r"by|par|von|por|di|crédit|credit|photo|photos|afp|reuters|ap|getty|images|published|updated|publié|mis à jour"
    r"|min read|min de lecture|lecture|auteur|author|journalist\w*|rédaction|staff"
)
COPYRIGHT = re.compile(r"©|\(c\)|®|™", re.IGNORECASE)

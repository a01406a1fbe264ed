"""Month names in many languages, for reading dates written in words ("12 March 2021", "12. März 2021").

Each language lists, for January to December, the forms a date can use: the nominative, the genitive
or partitive that follows a day number in Slavic, Baltic-free Finnic and Greek languages ("12 marca",
"12. maaliskuuta", "12 Μαρτίου"), and the usual abbreviations. Forms are lower-case; the table built
from them also holds each form without its accents ("fevrier", "marz"), since pages drop them.

Languages whose month names clash with another listed language are left out on purpose: Croatian
"listopad" is October where Czech and Polish "listopad" is November, so a page saying "12. listopada"
could not be read without knowing its language for sure.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

__all__ = ["MONTH_NAMES", "month_number", "month_table"]

# language -> 12 groups of forms, January first.
MONTH_NAMES: Mapping[str, tuple[tuple[str, ...], ...]] = MappingProxyType(
    {
        "en": (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        "fr": (
            ("janvier", "janv"),
            ("février", "févr", "fév"),
            ("mars",),
            ("avril", "avr"),
            ("mai",),
            ("juin",),
            ("juillet", "juil"),
            ("août",),
            ("septembre",),
            ("octobre",),
            ("novembre",),
            ("décembre", "déc"),
        ),
        "de": (
            ("januar", "jänner", "jän"),
            ("februar", "feber"),
            ("märz", "mrz", "mär"),
            ("april",),
            ("mai",),
            ("juni",),
            ("juli",),
            ("august",),
            ("september",),
            ("oktober", "okt"),
            ("november",),
            ("dezember", "dez"),
        ),
        "es": (
            ("enero", "ene"),
            ("febrero",),
            ("marzo",),
            ("abril", "abr"),
            ("mayo",),
            ("junio",),
            ("julio",),
            ("agosto", "ago"),
            ("septiembre", "setiembre"),
            ("octubre",),
            ("noviembre",),
            ("diciembre", "dic"),
        ),
        "it": (
            ("gennaio", "gen"),
            ("febbraio",),
            ("marzo",),
            ("aprile",),
            ("maggio", "mag"),
            ("giugno", "giu"),
            ("luglio", "lug"),
            ("agosto",),
            ("settembre", "set"),
            ("ottobre", "ott"),
            ("novembre",),
            ("dicembre",),
        ),
        "pt": (
            ("janeiro",),
            ("fevereiro", "fev"),
            ("março",),
            ("abril",),
            ("maio",),
            ("junho",),
            ("julho",),
            ("agosto",),
            ("setembro",),
            ("outubro", "out"),
            ("novembro",),
            ("dezembro",),
        ),
        "nl": (
            ("januari",),
            ("februari",),
            ("maart", "mrt"),
            ("april",),
            ("mei",),
            ("juni",),
            ("juli",),
            ("augustus",),
            ("september",),
            ("oktober",),
            ("november",),
            ("december",),
        ),
        "pl": (
            ("styczeń", "stycznia", "sty"),
            ("luty", "lutego", "lut"),
            ("marzec", "marca"),
            ("kwiecień", "kwietnia", "kwi"),
            ("maj", "maja"),
            ("czerwiec", "czerwca", "cze"),
            ("lipiec", "lipca"),
            ("sierpień", "sierpnia", "sie"),
            ("wrzesień", "września", "wrz"),
            ("październik", "października", "paź"),
            ("listopad", "listopada"),
            ("grudzień", "grudnia", "gru"),
        ),
        "sv": (
            ("januari",),
            ("februari",),
            ("mars",),
            ("april",),
            ("maj",),
            ("juni",),
            ("juli",),
            ("augusti",),
            ("september",),
            ("oktober",),
            ("november",),
            ("december",),
        ),
        "da": (
            ("januar",),
            ("februar",),
            ("marts",),
            ("april",),
            ("maj",),
            ("juni",),
            ("juli",),
            ("august",),
            ("september",),
            ("oktober",),
            ("november",),
            ("december",),
        ),
        "no": (
            ("januar",),
            ("februar",),
            ("mars",),
            ("april",),
            ("mai",),
            ("juni",),
            ("juli",),
            ("august",),
            ("september",),
            ("oktober",),
            ("november",),
            ("desember", "des"),
        ),
        "fi": (
            ("tammikuu", "tammikuuta", "tammik"),
            ("helmikuu", "helmikuuta", "helmik"),
            ("maaliskuu", "maaliskuuta", "maalisk"),
            ("huhtikuu", "huhtikuuta", "huhtik"),
            ("toukokuu", "toukokuuta", "toukok"),
            ("kesäkuu", "kesäkuuta", "kesäk"),
            ("heinäkuu", "heinäkuuta", "heinäk"),
            ("elokuu", "elokuuta", "elok"),
            ("syyskuu", "syyskuuta", "syysk"),
            ("lokakuu", "lokakuuta", "lokak"),
            ("marraskuu", "marraskuuta", "marrask"),
            ("joulukuu", "joulukuuta", "jouluk"),
        ),
        "cs": (
            ("leden", "ledna"),
            ("únor", "února"),
            ("březen", "března"),
            ("duben", "dubna"),
            ("květen", "května"),
            ("červen", "června"),
            ("červenec", "července"),
            ("srpen", "srpna"),
            ("září",),
            ("říjen", "října"),
            ("listopad", "listopadu"),
            ("prosinec", "prosince"),
        ),
        "sk": (
            ("január", "januára"),
            ("február", "februára"),
            ("marec", "marca"),
            ("apríl", "apríla"),
            ("máj", "mája"),
            ("jún", "júna"),
            ("júl", "júla"),
            ("august", "augusta"),
            ("september", "septembra"),
            ("október", "októbra"),
            ("november", "novembra"),
            ("december", "decembra"),
        ),
        "tr": (
            ("ocak", "oca"),
            ("şubat", "şub"),
            ("mart",),
            ("nisan", "nis"),
            ("mayıs", "may"),
            ("haziran", "haz"),
            ("temmuz", "tem"),
            ("ağustos", "ağu"),
            ("eylül", "eyl"),
            ("ekim", "eki"),
            ("kasım", "kas"),
            ("aralık", "ara"),
        ),
        "hu": (
            ("január", "jan"),
            ("február", "febr"),
            ("március", "márc"),
            ("április", "ápr"),
            ("május", "máj"),
            ("június", "jún"),
            ("július", "júl"),
            ("augusztus", "aug"),
            ("szeptember", "szept"),
            ("október", "okt"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        "ro": (
            ("ianuarie", "ian"),
            ("februarie",),
            ("martie",),
            ("aprilie",),
            ("mai",),
            ("iunie",),
            ("iulie",),
            ("august",),
            ("septembrie",),
            ("octombrie",),
            ("noiembrie", "noi"),
            ("decembrie",),
        ),
        "id": (
            ("januari",),
            ("februari",),
            ("maret",),
            ("april",),
            ("mei",),
            ("juni",),
            ("juli",),
            ("agustus",),
            ("september",),
            ("oktober",),
            ("november",),
            ("desember",),
        ),
        "el": (
            ("ιανουάριος", "ιανουαρίου"),
            ("φεβρουάριος", "φεβρουαρίου"),
            ("μάρτιος", "μαρτίου"),
            ("απρίλιος", "απριλίου"),
            ("μάιος", "μαΐου", "μαΐου"),
            ("ιούνιος", "ιουνίου"),
            ("ιούλιος", "ιουλίου"),
            ("αύγουστος", "αυγούστου"),
            ("σεπτέμβριος", "σεπτεμβρίου"),
            ("οκτώβριος", "οκτωβρίου"),
            ("νοέμβριος", "νοεμβρίου"),
            ("δεκέμβριος", "δεκεμβρίου"),
        ),
        "ru": (
            ("январь", "января"),
            ("февраль", "февраля"),
            ("март", "марта"),
            ("апрель", "апреля"),
            ("май", "мая"),
            ("июнь", "июня"),
            ("июль", "июля"),
            ("август", "августа"),
            ("сентябрь", "сентября"),
            ("октябрь", "октября"),
            ("ноябрь", "ноября"),
            ("декабрь", "декабря"),
        ),
        "uk": (
            ("січень", "січня"),
            ("лютий", "лютого"),
            ("березень", "березня"),
            ("квітень", "квітня"),
            ("травень", "травня"),
            ("червень", "червня"),
            ("липень", "липня"),
            ("серпень", "серпня"),
            ("вересень", "вересня"),
            ("жовтень", "жовтня"),
            ("листопад", "листопада"),
            ("грудень", "грудня"),
        ),
    }
)


def _strip_accents(word: str) -> str:
    """``word`` without combining marks ("février" -> "fevrier"); Greek tonos goes too."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@cache
def month_table(language: str | None = None) -> Mapping[str, int]:
    """Every month form -> its number (1-12); ``language``'s own forms win over other languages'.

    Forms are lower-case, with and without accents. Without a language (or with one not listed),
    a form listed by several languages keeps the number of the first language listing it; the
    table's languages are chosen so that no two of them disagree, apart from abbreviations of a
    different word (Turkish "may" is "mayıs", May, as in English).
    """
    table: dict[str, int] = {}
    languages = list(MONTH_NAMES)
    if language in MONTH_NAMES:
        languages.remove(language)
        languages.insert(0, language)
    for lang in languages:
        for number, forms in enumerate(MONTH_NAMES[lang], start=1):
            for form in forms:
                for variant in (form, _strip_accents(form)):
                    table.setdefault(variant, number)
    return MappingProxyType(table)


def month_number(name: str, language: str | None = None) -> int | None:
    """The month (1-12) that ``name`` names ("März", "marca", "Sept."), or None."""
    key = name.lower().rstrip(".")
    table = month_table(language)
    return table.get(key) or table.get(_strip_accents(key))

"""Which encoding undeclared bytes are in, when they are not UTF-8: what a browser's detector does for
a page saved without its HTTP header (``wget``, ``response.content``) that declares no charset.

The guess reads the bytes from a little before the first one outside ASCII (ASCII reads alike in every
candidate, and a page may open with 64 KiB of script). Each candidate encoding decodes that sample
strictly; those that can are weighed on what the text they give looks like (the letter data are in
:mod:`cleaner.read.letters`):

- East Asian text by its scripts: kana make a page Japanese (EUC-JP, else Shift_JIS); Hangul filling
  nearly all the places of the page's ideographs, many of them Korean's common syllables, Korean; Han
  text without kana goes to the reading (GB18030, Big5, EUC-JP, Shift_JIS) that gives most of its
  language's common characters. A reading's characters must not be glued to Latin letters, as Latin
  text read as a double-byte encoding gives ("élève" as GB18030).
- Other text word by word: a word of letters outside ASCII counts for an encoding when it is in one
  script and a plausible case (lower, upper or capitalised), with the script's own rules (a final
  sigma or a Hebrew final letter ends a word, a Thai vowel sign does not start one), and against it
  otherwise, as does a symbol between two letters ("Za¿ó³æ": Polish read as windows-1252). Then the
  letters: a Latin reading loses for each letter no one language's alphabet explains along with the
  others ("Pøíští": Czech read as windows-1252), another script's for too few of its common letters or
  too many of its rare ones; of windows-1251 and KOI8-R, which read each other's small letters as
  capitals, the reading with more capitals counts half.

Windows-1252 stays unless another single-byte reading is clearly better (most legacy pages are
western); where no single-byte reading has much for it, two East Asian characters decide ("新快报" in
an English page, "TEL：" and "ICP备" in a footer). Bytes that are nearly UTF-8 (a few invalid bytes among
many valid characters: a stray byte, a page cut in the middle of a character) stay UTF-8. Bytes no
candidate reads: windows-1252, its errors replaced. The guess is deterministic: the candidates are
tried in a fixed order and a tie goes to the first.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter
from functools import cache
from itertools import islice

from cleaner.read.letters import (
    ALPHABETS,
    COMMON_HAN,
    COMMON_HANGUL,
    COMMON_LETTERS,
    HEBREW_FINAL,
    RARE_LETTERS,
    THAI_DEPENDENT,
)

# The part of a page the guess reads: enough text, whatever the page's size.
SAMPLE_BYTES = 65_536
# Valid non-ASCII characters per invalid byte, and at least this many, that keep bytes UTF-8. Text in a
# legacy encoding read as UTF-8 gives about one valid character for ten invalid bytes (EUC pairs) or
# fewer (single bytes), and a short run of it one by chance ("JOSÉ’S": "ɒ").
UTF8_VALID_PER_INVALID = 1
MIN_UTF8_CHARS = 4
# East Asian characters a page needs before the East Asian encodings are weighed.
MIN_EAST_ASIAN_CHARS = 8
# East Asian characters that decide a page whose single-byte readings have little for them (a score
# under MIN_SCORE_OVER_FEW, a handful of letters).
MIN_FEW_EAST_ASIAN_CHARS = 2
MIN_SCORE_OVER_FEW = 8
# Kana among the kana and ideographs: Japanese text has a third or more, Chinese none.
MIN_KANA_SHARE = 0.1
# Hangul among Hangul and ideographs: Korean text is nearly all Hangul; Chinese GB bytes read as Korean
# give ideographs for about half of its characters.
MIN_HANGUL_SHARE = 0.9
# What a Latin letter that no one language's alphabet explains along with the others takes away: more
# than a plausible letter adds, as one "õ" in Hungarian read as windows-1252 is the whole difference.
UNEXPLAINED_WEIGHT = 4
# Of a script's letters, the share its rare ones (letters.RARE_LETTERS) take at most in a right reading.
MAX_RARE_SHARE = 0.15
# Of a reading's Han characters (or Hangul syllables), the share its language's common ones take at
# least (letters.COMMON_HAN, COMMON_HANGUL): a third to a half in real text, a few in a wrong reading.
MIN_HAN_SHARE = 0.15
# Of a script's letters, the share its most frequent ones (letters.COMMON_LETTERS) take at least in a
# right reading: about half in real text, a third or less in a wrong one.
MIN_COMMON_SHARE = 0.4

FALLBACK = "cp1252"
# How much better than windows-1252's another single-byte reading must score (more than) to be chosen.
FALLBACK_MARGIN = 3
EAST_ASIAN = ("euc_jp", "cp932", "cp949", "gb18030", "big5hkscs")
JAPANESE = ("euc_jp", "cp932")
# Han text's encodings in the order ties go: Chinese pages outnumber Japanese ones without kana.
HAN_ORDER = ("gb18030", "big5hkscs", "euc_jp", "cp932")
# Scripts with capitals outside ASCII, and the letters past which a reading in capitals only is suspect.
CASED = frozenset({"CYRILLIC", "GREEK"})
MIN_LETTERS_ALL_CAPS = 50
# Encodings that read each other's letters as the same script's, small letters as capitals.
CASE_SWAPPED = (("cp1251", "koi8_r"),)
# (codec, script of its letters outside ASCII), in the order ties are settled.
SINGLE_BYTE = (
    ("cp1252", "LATIN"),
    ("cp1250", "LATIN"),
    ("cp1251", "CYRILLIC"),
    ("koi8_r", "CYRILLIC"),
    ("cp1253", "GREEK"),
    ("cp1254", "LATIN"),
    ("cp1255", "HEBREW"),
    ("cp1256", "ARABIC"),
    ("cp1257", "LATIN"),
    ("cp874", "THAI"),
)

_KANA = re.compile("[\u3041-\u309f\u30a1-\u30fa]")
_HALFWIDTH_KANA = re.compile("[\uff61-\uff9f]")
_HANGUL = re.compile("[\uac00-\ud7a3]")
_IDEOGRAPH = re.compile("[\u4e00-\u9fff]")
_C1_RE = re.compile("[\x80-\x9f]")
# A run of ASCII letters and bytes outside ASCII (those holding one of the latter are kept).
_HIGH_WORD_RE = re.compile(rb"[A-Za-z\x80-\xff]+")
HIGH_BYTE_RE = re.compile(rb"[\x80-\xff]")
# The bytes before the first byte outside ASCII the guess reads too: the start of its word.
GUESS_CONTEXT_BYTES = 32
# Bytes of East Asian text read: some thousands of characters.
EAST_ASIAN_WINDOW = 16_384
# Words a single-byte guess reads: plenty to tell the encodings apart.
MAX_WORDS = 500
_NON_ASCII_RE = re.compile("[^\x00-\x7f]")
# A word: a letter, then letters and the marks written on them (Hebrew points, Arabic vowels, Thai
# vowels and tones). Those holding a letter outside ASCII are scored.
_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
    "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"
)
_WORD_RE = re.compile(f"[^\\W\\d_](?:[^\\W\\d_]|[{_MARKS}])*")
# Kana, ideographs, Hangul, and the punctuation and full-width forms of East Asian text ("TEL：").
_EAST_ASIAN_CHAR = "[\u3000-\u303f\u3041-\u30fa\u4e00-\u9fff\uac00-\ud7a3\uff01-\uff5e]"
_EAST_ASIAN_RE = re.compile(_EAST_ASIAN_CHAR)
# East Asian characters glued to a Latin letter: what Latin text read as a double-byte encoding gives
# ("élève" as GB18030: two ideographs and an "e"), and what East Asian text seldom holds.
_EAST_ASIAN_LETTER = "[\u3041-\u30fa\u4e00-\u9fff\uac00-\ud7a3]"  # not their punctuation ("TEL：")
_GLUED_RE = re.compile(f"(?<=[A-Za-z]){_EAST_ASIAN_LETTER}|{_EAST_ASIAN_LETTER}(?=[A-Za-z])")
# A symbol (or two or three) between two letters, as a letter read in the wrong encoding gives ("Za¿ó³æ"
# for the Polish "Zażółć" read as windows-1252, "Fr¨¦d¨¦ric" for GB18030's "Frédéric"): Latin-1's signs
# and box drawing (KOI8-R's). Not the punctuation that stands between letters ("don’t", "don´t",
# "LONDON—The", "l·l", "touch…iPhones", "Home•About").
_SYMBOL_IN_WORD_RE = re.compile(
    r"(?<=[^\W\d_])[\u00a1-\u00b3\u00b6\u00b8-\u00bf\u00d7\u00f7\u2500-\u259f]{1,3}(?=[^\W\d_])"
    r"|(?<=[^\W\d_])[\u2500-\u259f]|[\u2500-\u259f](?=[^\W\d_])"  # box drawing touching a letter
)
# Glued characters allowed among a reading's East Asian characters ("Tシャツ", "iPhoneケース").
MAX_GLUED_SHARE = 0.1
# The same where a few East Asian characters decide a page: "苏ICP备" has two of three glued, a
# misreading of punctuation next to letters ("It뭩 fine꿹eally") all.
MAX_FEW_GLUED_SHARE = 0.5


def guess_encoding(data: bytes) -> str:
    """The Python codec of undeclared bytes (see the module's docstring)."""
    # Read from the first byte outside ASCII (ASCII reads alike in every candidate): a page whose first
    # 64 KiB are scripts is judged on its text. The ASCII bytes before it start at a character.
    first = HIGH_BYTE_RE.search(data)
    if first is None:
        return "utf-8"
    sample = data[max(0, first.start() - GUESS_CONTEXT_BYTES) : first.start() + SAMPLE_BYTES]
    # Where the sample is all of the rest, a character cut at its end is an error, not the sample's cut.
    whole = len(data) <= first.start() + SAMPLE_BYTES
    if _nearly_utf8(sample, whole):
        return "utf-8"
    window = sample[:EAST_ASIAN_WINDOW]
    whole = whole and len(sample) <= EAST_ASIAN_WINDOW
    readings = {codec: text for codec in EAST_ASIAN if (text := _read(window, codec, whole)) is not None}
    plain = {
        c: text for c, text in readings.items() if _reads_as_east_asian(text, MIN_EAST_ASIAN_CHARS, MAX_GLUED_SHARE)
    }
    east_asian = _east_asian(plain, MIN_EAST_ASIAN_CHARS)
    if east_asian is not None:
        return east_asian
    scores = _single_byte_scores(sample)
    best = max(scores, key=lambda codec: scores[codec], default=None)  # the first of equals wins
    # A few East Asian characters among Latin text ("TEL：", "新快报", "ICP备案号") outweigh a single-byte
    # reading with little for it; with nothing for any, most legacy pages are western.
    few = {
        c: text
        for c, text in readings.items()
        if _reads_as_east_asian(text, MIN_FEW_EAST_ASIAN_CHARS, MAX_FEW_GLUED_SHARE)
    }
    found = _east_asian(few, MIN_FEW_EAST_ASIAN_CHARS)
    if best is None or scores[best] <= 0 or (found is not None and scores[best] < MIN_SCORE_OVER_FEW):
        return found or FALLBACK
    if FALLBACK in scores and scores[best] <= scores[FALLBACK] + FALLBACK_MARGIN:
        return FALLBACK  # most legacy pages are western: another reading must be clearly better
    return best


def _single_byte_scores(sample: bytes) -> dict[str, int]:
    """The :func:`word_score` of each single-byte encoding that reads ``sample``."""
    # A single-byte encoding reads each byte alone: its words are read from the runs of letters and
    # bytes outside ASCII, not from the whole page.
    words = b" ".join(islice((w for w in _HIGH_WORD_RE.findall(sample) if not w.isascii()), MAX_WORDS))
    scores, texts = {}, {}
    for codec, script in SINGLE_BYTE:
        text = _read(words, codec)
        if text is not None:
            scores[codec], texts[codec] = word_score(text, script), text
    for one, other in CASE_SWAPPED:
        # Both read as the same script, one in the other's case: small letters are the commoner.
        if scores.get(one, 0) > 0 and scores.get(other, 0) > 0:
            swapped = one if _capitals(texts[one]) > _capitals(texts[other]) else other
            scores[swapped] //= 2
    return scores


def _capitals(text: str) -> int:
    return sum(1 for c in text if c.isupper())


def _nearly_utf8(sample: bytes, whole: bool) -> bool:
    try:
        codecs.getincrementaldecoder("utf-8")(errors="strict").decode(sample, final=whole)
        return True  # valid UTF-8, C1 control characters and all
    except UnicodeDecodeError:
        pass
    text = codecs.getincrementaldecoder("utf-8")(errors="replace").decode(sample, final=whole)
    invalid = text.count("\ufffd") - sample.count("\ufffd".encode())
    valid = len(_NON_ASCII_RE.findall(text)) - text.count("\ufffd")
    return valid >= max(MIN_UTF8_CHARS, UTF8_VALID_PER_INVALID * invalid)


def _read(sample: bytes, codec: str, whole: bool = False) -> str | None:
    """``sample`` decoded strictly, a character cut at its end left out unless the sample is the
    ``whole`` rest of the input; None when it cannot be."""
    decoder = codecs.getincrementaldecoder(codec)(errors="strict")
    try:
        text = decoder.decode(sample, final=whole)
    except UnicodeDecodeError:
        return None
    # C1 control characters are no text: an encoding that gives them is a misreading.
    return None if _C1_RE.search(text) else text


def _reads_as_east_asian(text: str, minimum: int, glued: float) -> bool:
    """Whether a reading gives ``minimum`` East Asian characters or more that stand as East Asian text
    does: at most a share ``glued`` of them glued to Latin letters."""
    found = len(_EAST_ASIAN_RE.findall(text))
    return found >= minimum and len(_GLUED_RE.findall(text)) <= glued * found


def _east_asian(readings: dict[str, str], minimum: int) -> str | None:
    """The East Asian encoding of the page, or None when no East Asian reading has ``minimum``
    characters of its scripts."""

    def count(codec: str, pattern: re.Pattern[str]) -> int:
        return len(pattern.findall(readings[codec])) if codec in readings else 0

    japanese = [c for c in JAPANESE if c in readings]
    for codec in japanese:
        kana, ideographs = count(codec, _KANA), count(codec, _IDEOGRAPH)
        if kana + ideographs >= minimum and kana >= MIN_KANA_SHARE * (kana + ideographs):
            # Both may read: EUC-JP bytes are Shift_JIS half-width kana, which real pages seldom hold.
            return min(japanese, key=lambda c: count(c, _HALFWIDTH_KANA))
    if "cp949" in readings:
        hangul, hanja = _HANGUL.findall(readings["cp949"]), count("cp949", _IDEOGRAPH)
        if len(hangul) >= minimum and len(hangul) >= MIN_HANGUL_SHARE * (len(hangul) + hanja):
            if _common_share(hangul, COMMON_HANGUL) >= MIN_HAN_SHARE:
                return "cp949"
    # Han text without kana (Chinese, or Japanese in kanji alone): the reading that gives most of its
    # language's common characters; a wrong one gives rare characters.
    shares = {}
    for codec in HAN_ORDER:
        ideographs = _IDEOGRAPH.findall(readings[codec]) if codec in readings else []
        if len(ideographs) >= minimum:
            share = _common_share(ideographs, COMMON_HAN["japanese" if codec in JAPANESE else "chinese"])
            if share >= MIN_HAN_SHARE:
                shares[codec] = share
    return max(shares, key=lambda codec: shares[codec]) if shares else None


def _common_share(characters: list[str], common: frozenset[str]) -> float:
    """The share of ``characters`` that are among the ``common`` ones of their language."""
    return sum(1 for c in characters if c in common) / len(characters)


def word_score(text: str, script: str) -> int:
    """How plausible ``text`` is as text of ``script`` (letters outside ASCII): each word holding such
    letters adds their number when it reads as a word of that script, and takes it away otherwise; a
    symbol between two letters takes away two. Then the letters themselves: for a Latin script, each
    that no one language's alphabet explains along with the others takes away four; for another,
    too few of its common letters make the reading implausible (see :mod:`cleaner.read.letters`)."""
    score = -2 * len(_SYMBOL_IN_WORD_RE.findall(text))
    letters: Counter[str] = Counter()
    small = 0  # words with a small letter
    for word, times in Counter(_WORD_RE.findall(text)).items():
        if word.isascii() or len(word) == 1:
            # A lone letter says little: a symbol read in another script ("©" and "»" as Thai) gives one.
            continue
        outside = len(_NON_ASCII_RE.findall(word))
        if not _plausible(word, script, outside):
            score -= outside * times
            continue
        score += outside * times
        small += times if not word.isupper() else 0
        for letter in word.lower():
            if letter > "\x7f":
                letters[letter] += times
    if script == "LATIN":
        return score - UNEXPLAINED_WEIGHT * _unexplained(letters)
    if script in CASED and score > 0 and sum(letters.values()) >= MIN_LETTERS_ALL_CAPS and small == 0:
        score //= 2  # text in capitals throughout: what caseless letters (Hebrew's) read as KOI8-R give
    if script in COMMON_LETTERS and score > 0:
        # A short text's shares are rough: a letter or two of slack.
        total = sum(letters.values())
        common = sum(count for letter, count in letters.items() if letter in COMMON_LETTERS[script])
        rare = sum(count for letter, count in letters.items() if letter in RARE_LETTERS.get(script, ()))
        if common < MIN_COMMON_SHARE * total - 2 or rare > MAX_RARE_SHARE * total + 1:
            return -score
    return score


def _unexplained(letters: Counter[str]) -> int:
    """How many of ``letters`` (Latin, outside ASCII) the alphabet that explains most of them leaves out."""
    if not letters:
        return 0
    total = sum(letters.values())
    return min(
        total - sum(count for letter, count in letters.items() if letter in alphabet) for alphabet in ALPHABETS.values()
    )


def _plausible(word: str, script: str, outside: int) -> bool:
    cased = word.lower() != word.upper()
    if cased and not (word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())):
        return False
    if script == "LATIN":
        return all(_script(c) == "LATIN" for c in set(word) if c > "\x7f")
    if script == "GREEK" and "ς" in word[:-1]:
        return False  # final sigma ends a word
    if script == "HEBREW" and any(letter in HEBREW_FINAL for letter in word[:-1]):
        return False  # so do Hebrew's final forms
    if script == "THAI" and word[0] in THAI_DEPENDENT:
        return False
    return all(_script(c) == script for c in set(word))


@cache
def _script(char: str) -> str:
    """The script of a letter, from its Unicode name ("CYRILLIC SMALL LETTER A": CYRILLIC)."""
    return unicodedata.name(char, "UNKNOWN").split(" ", 1)[0]

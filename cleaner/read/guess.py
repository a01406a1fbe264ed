"""Which encoding undeclared bytes are in, when they are not UTF-8: what a browser's detector does for
a page saved without its HTTP header (``wget``, ``response.content``) that declares no charset.

Each candidate encoding decodes a sample of the page strictly; those that can are scored on what the
decoded text looks like, and the most plausible wins:

- East Asian text is told apart by its scripts: kana make a page Japanese (EUC-JP, else Shift_JIS),
  Hangul filling nearly all the page's ideographs' places makes it Korean; else Chinese, GB18030 when
  its characters are nearly all of GB2312's common set (Big5 bytes read as GB18030 give rare ones),
  else Big5.
- Other text is scored word by word: a word of letters outside ASCII counts for an encoding when the
  word is in one script, in a plausible case (lower, upper or capitalised), and, for the Latin
  encodings, not nearly all accented; against it otherwise, as does a symbol between two letters.
  Cyrillic bytes read as windows-1252 give words of accented letters only ("Ïðèâåò"), KOI8-R bytes
  read as windows-1251 words of random case, Polish windows-1250 bytes read as windows-1252 symbols
  inside words ("Za¿ó³æ"): each loses to the right reading. Windows-1252 stays unless another
  reading scores clearly better (most legacy pages are western), and where every single-byte reading
  is implausible, two East Asian characters are enough ("TEL：", "苏ICP备").

Bytes that are nearly UTF-8 (a few invalid bytes among many valid characters: a page cut in the middle
of a character, a stray byte) stay UTF-8. Bytes no candidate reads: windows-1252, its errors replaced.
The guess is deterministic: the candidates are tried in a fixed order and a tie goes to the first.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter
from functools import cache
from itertools import islice

# The part of a page the guess reads: enough text, whatever the page's size.
SAMPLE_BYTES = 65_536
# Valid non-ASCII characters per invalid byte that keep bytes UTF-8. Text in a legacy encoding read as
# UTF-8 gives about one valid character for ten invalid bytes (EUC pairs) or fewer (single bytes).
UTF8_VALID_PER_INVALID = 0.5
# East Asian characters a page needs before the East Asian encodings are weighed.
MIN_EAST_ASIAN_CHARS = 8
# East Asian characters that decide a page whose every single-byte reading is implausible.
MIN_FEW_EAST_ASIAN_CHARS = 2
# Kana among the kana and ideographs: Japanese text has a third or more, Chinese none.
MIN_KANA_SHARE = 0.1
# Hangul among Hangul and ideographs: Korean text is nearly all Hangul; Chinese GB bytes read as Korean
# give ideographs for about half of its characters.
MIN_HANGUL_SHARE = 0.9
# Ideographs of a GB18030 reading that GB2312 holds: Chinese GB text nearly all, Big5 bytes far fewer.
MIN_GB2312_SHARE = 0.95
# In a Latin word, letters outside ASCII past this share make it a misreading (except in short words).
MAX_LATIN_ACCENTED_SHARE = 0.75

FALLBACK = "cp1252"
# How much better than windows-1252's another single-byte reading must score (more than) to be chosen.
FALLBACK_MARGIN = 3
EAST_ASIAN = ("euc_jp", "cp932", "cp949", "gb18030", "big5hkscs")
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
_HIGH_BYTE_RE = re.compile(rb"[\x80-\xff]")
# Bytes of East Asian text read: some thousands of characters.
EAST_ASIAN_WINDOW = 16_384
# Words a single-byte guess reads: plenty to tell the encodings apart.
MAX_WORDS = 500
_NON_ASCII_RE = re.compile("[^\x00-\x7f]")
# A word: a run of letters (those holding one outside ASCII are scored).
_WORD_RE = re.compile(r"[^\W\d_]+")
# Kana, ideographs, Hangul, and the punctuation and full-width forms of East Asian text ("TEL：").
_EAST_ASIAN_CHAR = "[\u3000-\u303f\u3041-\u30fa\u4e00-\u9fff\uac00-\ud7a3\uff01-\uff5e]"
_EAST_ASIAN_RE = re.compile(_EAST_ASIAN_CHAR)
# East Asian characters glued to a Latin letter: what Latin text read as a double-byte encoding gives
# ("élève" as GB18030: two ideographs and an "e"), and what East Asian text seldom holds.
_GLUED_RE = re.compile(f"(?<=[A-Za-z]){_EAST_ASIAN_CHAR}|{_EAST_ASIAN_CHAR}(?=[A-Za-z])")
# A symbol outside ASCII between two letters: a letter read in the wrong encoding ("Za¿ó³æ" for the
# Polish "Zażółć" read as windows-1252). Not the apostrophes, hyphens, dashes and middle dot that stand
# between letters ("don’t", "don´t", "LONDON—The", "l·l").
_SYMBOL_IN_WORD_RE = re.compile(r"(?<=[^\W\d_])[^\w\s\x00-\x7f\u2018\u2019\u00b4\u00b7\u00ad\u2010-\u2014](?=[^\W\d_])")
# Scripts whose every letter is outside ASCII, and which have capitals.
ALL_OUTSIDE_ASCII = frozenset({"CYRILLIC", "GREEK"})
# Glued characters allowed among a reading's East Asian characters ("Tシャツ", "iPhoneケース").
MAX_GLUED_SHARE = 0.1


def guess_encoding(data: bytes) -> str:
    """The Python codec of undeclared bytes (see the module's docstring)."""
    sample = data[:SAMPLE_BYTES]
    if _nearly_utf8(sample):
        return "utf-8"
    # Double-byte text is read from its first byte outside ASCII, always a character's first byte.
    first = _HIGH_BYTE_RE.search(sample)
    window = sample[first.start() if first else 0 :][:EAST_ASIAN_WINDOW]
    readings = {codec: text for codec in EAST_ASIAN if (text := _read(window, codec)) is not None}
    plain = {codec: text for codec, text in readings.items() if _reads_as_east_asian(text)}
    east_asian = _east_asian(plain, MIN_EAST_ASIAN_CHARS)
    if east_asian is not None:
        return east_asian
    # A single-byte encoding reads each byte alone: its words are read from the runs of letters and
    # bytes outside ASCII, not from the whole page.
    words = b" ".join(islice((w for w in _HIGH_WORD_RE.findall(sample) if not w.isascii()), MAX_WORDS))
    scores = {}
    for codec, script in SINGLE_BYTE:
        text = _read(words, codec)
        if text is not None:
            scores[codec] = word_score(text, script)
    if not scores:
        return _east_asian(readings, MIN_FEW_EAST_ASIAN_CHARS) or FALLBACK
    best = max(scores, key=lambda codec: scores[codec])  # the first of equals: the candidates' order
    if FALLBACK in scores and scores[best] <= scores[FALLBACK] + FALLBACK_MARGIN:
        best = FALLBACK  # most legacy pages are western: another reading must be clearly better
    if scores[best] >= 0:
        return best
    # Every single-byte reading is implausible: a few East Asian characters among Latin text ("TEL：",
    # "ICP备案号") are evidence enough.
    return _east_asian(readings, MIN_FEW_EAST_ASIAN_CHARS) or best


def _nearly_utf8(sample: bytes) -> bool:
    if _read(sample, "utf-8") is not None:
        return True
    text = sample.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd") - sample.count("\ufffd".encode())
    valid = len(_NON_ASCII_RE.findall(text)) - text.count("\ufffd")
    return valid >= UTF8_VALID_PER_INVALID * invalid and valid > 0


def _read(sample: bytes, codec: str) -> str | None:
    """``sample`` decoded strictly, a character cut at its end left out; None when it cannot be."""
    decoder = codecs.getincrementaldecoder(codec)(errors="strict")
    try:
        text = decoder.decode(sample, final=False)
    except UnicodeDecodeError:
        return None
    # C1 control characters are no text: an encoding that gives them is a misreading.
    return None if _C1_RE.search(text) else text


def _reads_as_east_asian(text: str) -> bool:
    """Whether a reading gives East Asian characters that stand as East Asian text does: not glued to
    Latin letters."""
    found = len(_EAST_ASIAN_RE.findall(text))
    return found >= MIN_EAST_ASIAN_CHARS and len(_GLUED_RE.findall(text)) <= MAX_GLUED_SHARE * found


def _east_asian(readings: dict[str, str], minimum: int) -> str | None:
    """The East Asian encoding of the page, or None when no East Asian reading has ``minimum``
    characters of its scripts."""

    def count(codec: str, pattern: re.Pattern[str]) -> int:
        return len(pattern.findall(readings[codec])) if codec in readings else 0

    japanese = [c for c in ("euc_jp", "cp932") if c in readings]
    for codec in japanese:
        kana, ideographs = count(codec, _KANA), count(codec, _IDEOGRAPH)
        if kana + ideographs >= minimum and kana >= MIN_KANA_SHARE * (kana + ideographs):
            # Both may read: EUC-JP bytes are Shift_JIS half-width kana, which real pages seldom hold.
            return min(japanese, key=lambda c: count(c, _HALFWIDTH_KANA))
    hangul, hanja = count("cp949", _HANGUL), count("cp949", _IDEOGRAPH)
    if hangul >= minimum and hangul >= MIN_HANGUL_SHARE * (hangul + hanja):
        return "cp949"
    if "gb18030" in readings:
        ideographs = _IDEOGRAPH.findall(readings["gb18030"])
        if len(ideographs) >= minimum:
            common = sum(times for c, times in Counter(ideographs).items() if _in_gb2312(c))
            if common >= MIN_GB2312_SHARE * len(ideographs) or "big5hkscs" not in readings:
                return "gb18030"
    if count("big5hkscs", _IDEOGRAPH) >= minimum:
        return "big5hkscs"
    return None


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def word_score(text: str, script: str) -> int:
    """How plausible ``text`` is as text of ``script`` (letters outside ASCII): each word holding such
    letters adds their number when it reads as a word of that script, and takes it away otherwise;
    a symbol between two letters takes away two."""
    score = -2 * len(_SYMBOL_IN_WORD_RE.findall(text))
    capitals = False
    for word, times in Counter(_WORD_RE.findall(text)).items():
        if word.isascii() or len(word) == 1:
            # A lone letter says little: a symbol read in another script ("©" and "»" as Thai) gives one.
            continue
        outside = len(_NON_ASCII_RE.findall(word))
        if not _plausible(word, script, outside):
            score -= outside * times
        elif word.isupper():
            # Capitals are rarer than small letters: a misreading that swaps the cases (KOI8-R and
            # windows-1251 do) gives words of capitals; they count half.
            score += outside * times // 2
        else:
            score += outside * times
        capitals = capitals or not word.islower()
    if script in ALL_OUTSIDE_ASCII and not capitals and score > 0:
        # Not one capital in a page of Cyrillic or Greek: caseless letters (Hebrew) read as small ones.
        score //= 2
    return score


def _plausible(word: str, script: str, outside: int) -> bool:
    cased = word.lower() != word.upper()
    if cased and not (word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())):
        return False
    if script == "LATIN":
        if len(word) > 3 and outside > MAX_LATIN_ACCENTED_SHARE * len(word):
            return False
        return all(_script(c) == "LATIN" for c in set(word) if c > "\x7f")
    return all(_script(c) == script for c in set(word))


@cache
def _script(char: str) -> str:
    """The script of a letter, from its Unicode name ("CYRILLIC SMALL LETTER A": CYRILLIC)."""
    return unicodedata.name(char, "UNKNOWN").split(" ", 1)[0]

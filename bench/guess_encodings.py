"""How often cleaner reads an undeclared page in a legacy encoding right: the corpora's gold texts, in
every language they hold, encoded in the legacy encodings of their script, wrapped in a page that
declares no charset, and decoded as cleaner decodes bytes (``cleaner.read.decode.decode_html``).

    python bench/guess_encodings.py [--corpora ../shared/corpora] [--chars 300]

A page counts as read right when the decoded text is the text (two encodings that give the same text
for it, German in windows-1252 or windows-1250, are both right). Each text is tried whole and cut to
its first ``--chars`` characters (a short page: less evidence); the column "cp1252" gives the share
of whole pages right when read as windows-1252, as every such page was before the guess. Gold texts
that hold mojibake (UTF-8 read as Latin-1: "Ã©") are left out: their bytes are partly UTF-8.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

from cleaner.read.decode import decode_html

ROOT = Path(__file__).resolve().parents[1]
# The legacy encodings of each script: what a page of that script was written in before UTF-8.
ENCODINGS = {
    "LATIN": ("cp1252", "cp1250", "cp1257", "cp1254"),
    "CYRILLIC": ("cp1251", "koi8_r"),
    "GREEK": ("cp1253",),
    "HEBREW": ("cp1255",),
    "ARABIC": ("cp1256",),
    "THAI": ("cp874",),
    "JAPANESE": ("euc_jp", "cp932"),
    "KOREAN": ("cp949",),
    "CHINESE": ("gb18030", "big5hkscs"),
}
_KANA = re.compile("[\u3041-\u30fa]")
_HANGUL = re.compile("[\uac00-\ud7a3]")
_HAN = re.compile("[\u4e00-\u9fff]")
# What UTF-8 read as windows-1252 or Mac Roman leaves, whatever follows: "Â" for a no-break space's
# first byte, "â€" for a quote's, "‚Ä" for Mac Roman's.
MOJIBAKE_MARKERS = ("Â", "Ã", "â€", "‚Ä")
_HIGH_RUN = re.compile("[^\x00-\x7f]{2,}")


def script_of(text: str) -> str | None:
    """The main script of a text's letters outside ASCII; None for ASCII text."""
    if _KANA.search(text):
        return "JAPANESE"
    if _HANGUL.search(text):
        return "KOREAN"
    if _HAN.search(text):
        return "CHINESE"
    scripts = Counter(unicodedata.name(c, "?").split(" ")[0] for c in text if c > "\x7f" and c.isalpha())
    if not scripts:
        return None
    script = scripts.most_common(1)[0][0]
    return script if script in ENCODINGS else None


def mojibake(text: str) -> bool:
    """Whether a gold text holds UTF-8 read as Latin-1 ("Ã©" for "é"), as some old corpora's do: its
    Latin-1 bytes would be (partly) valid UTF-8, and read as such, rightly."""
    if any(marker in text for marker in MOJIBAKE_MARKERS):
        return True
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return any(len(run.encode("cp1252").decode("utf-8", "ignore")) for run in _HIGH_RUN.findall(text))


def page(text: str) -> str:
    body = "".join(f"<p>{line}</p>\n" for line in text.splitlines() if line.strip())
    return f"<!DOCTYPE html>\n<html><head><title>Page</title></head><body>\n{body}</body></html>\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    parser.add_argument("--chars", type=int, default=300, help="the length of the short pages")
    args = parser.parse_args()

    tried: Counter[tuple[str, str, str]] = Counter()
    right: Counter[tuple[str, str, str]] = Counter()
    western: Counter[tuple[str, str, str]] = Counter()  # right when read as windows-1252, as before the guess
    wrong_as: dict[tuple[str, str, str], Counter[str]] = {}
    for path in sorted(args.corpora.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                gold = json.loads(line)["gold"]
                script = script_of(gold)
                if script is None or mojibake(gold):
                    continue
                for length, text in (("whole", gold), ("short", gold[: args.chars])):
                    html = page(text)
                    for codec in ENCODINGS[script]:
                        try:
                            data = html.encode(codec)
                        except UnicodeEncodeError:
                            continue
                        key = (script, codec, length)
                        tried[key] += 1
                        decoded = decode_html(data)
                        if decoded.text == html:
                            right[key] += 1
                        else:
                            wrong_as.setdefault(key, Counter())[decoded.encoding] += 1
                        if data.decode("cp1252", errors="replace") == html:
                            western[key] += 1

    print(f"undeclared pages decoded right, from the gold texts of {args.corpora}")
    print(f"  {'script':<10} {'encoding':<10} {'pages':>6} {'whole':>7} {'short':>7} {'cp1252':>7}  read wrongly as")
    for script, codecs in ENCODINGS.items():
        for codec in codecs:
            whole, short = (script, codec, "whole"), (script, codec, "short")
            if not tried[whole]:
                continue
            shares = [f"{right[key] / tried[key]:.3f}" if tried[key] else "-" for key in (whole, short)]
            shares.append(f"{western[whole] / tried[whole]:.3f}")
            misses = wrong_as.get(whole, Counter()) + wrong_as.get(short, Counter())
            listed = ", ".join(f"{name} {count}" for name, count in misses.most_common(3))
            print(
                f"  {script:<10} {codec:<10} {tried[whole]:>6} {shares[0]:>7} {shares[1]:>7} {shares[2]:>7}  {listed}"
            )
    total_right, total = sum(right.values()), sum(tried.values())
    alone = sum(western.values())
    print(
        f"  all: {total_right} of {total} pages ({total_right / total:.3f}); "
        f"as windows-1252: {alone} ({alone / total:.3f})"
    )


if __name__ == "__main__":
    main()

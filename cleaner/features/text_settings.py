"""The settings of the sets of a line's own text (:mod:`cleaner.features.text`): their bounds and their
columns, shared by their definition (:mod:`cleaner.features.reference`) and the compiled core
(``features/_text.pyx``)."""

from __future__ import annotations

from cleaner.features import patterns
from cleaner.read.prose import PROSE_MIN_WORDS

# The bounds the shape and punctuation columns are read with (the reference reads the same names).
MEAN_WORD_LENGTH_CAP = 30.0
COMMAS_PER_WORD_CAP = 1.0
MENU_SEPARATOR_CAP = 5.0
ONE_WORD, SHORT_WORDS, LONG_WORDS = 1, 4, PROSE_MIN_WORDS  # words: at most, at most, at least
ALL_CAPS_MIN_LETTERS, ALL_CAPS_SHARE = 3, 0.8  # capitals among the letters
# Lexical cues (word lists, dates, prices...) are read on lines up to this long: that is where page
# furniture lives, and long paragraphs are judged by their shape.
LEXICAL_MAX_CHARS = 300
# Counts saturate: the third price on a line says no more than the first.
PATTERN_CAP = 3.0
LINK_CAP = 5.0

# The columns of each set, in order.
SHAPE = (
    "log_chars", "log_words", "mean_word_length", "ends_terminal", "ends_colon", "starts_upper", "one_word",
    "short", "long", "leading_space",
)  # fmt: skip
PUNCTUATION = (
    "punct_ratio", "digit_ratio", "upper_ratio", "letter_ratio", "symbol_ratio", "capitalised_word_ratio",
    "log_sentences", "commas_per_word", "has_quotes", "all_caps", "menu_separators",
)  # fmt: skip
PATTERNS = ("price", "postcode", "phone", "date", "time", "year", "email", *patterns.LEXICON_GROUPS, "copyright")
LINKS = ("text_link_density", "text_links", "markdown_heading", "list_item", "table_row")
# The sets, by their names in the registry; the compiled core makes all their columns in one pass, one
# set after the other.
SET_COLUMNS = {"shape": SHAPE, "punctuation": PUNCTUATION, "patterns": PATTERNS, "links": LINKS}
TEXT_COLUMNS = tuple(column for columns in SET_COLUMNS.values() for column in columns)

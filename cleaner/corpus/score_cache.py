"""Shingle scores of outputs against gold texts, remembered in memory and on disk.

Scoring a system on the 3,887 corpus pages takes seconds (counting the 4-gram shingles of both texts), and
a competitor's outputs never change between runs: a :class:`Scorer` computes each gold text's shingles
once for all systems, and remembers each page's (tp, fp, fn) under a digest of the gold and of the output,
so that a re-run only scores the outputs that changed (cleaner's). Saved, it keeps only the scores used
since it was loaded, so the file does not grow with every model tried.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections import Counter
from pathlib import Path

from cleaner.corpus.scoring import TpFpFn, page_scores, shingle_counts, shingle_overlap

# Names the metric in the file name: change it if the scoring changes, so that old scores are not reused.
METRIC = "shingles4-lowercase"
# File name of the scores in a cache folder.
SCORES_FILE = f"scores@{METRIC}.json.gz"
# Hex digits kept of each text's sha1 (80 bits: no collision in a few million texts).
DIGEST_CHARS = 20


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:DIGEST_CHARS]


class Scorer:
    """``scorer(predicted, gold)`` gives :func:`page_scores` ``(predicted, gold)``, computed at most once."""

    def __init__(self, known: dict[str, TpFpFn] | None = None) -> None:
        self._known = dict(known or {})
        self._used: dict[str, TpFpFn] = {}
        self._gold_digests: dict[str, str] = {}
        self._gold_shingles: dict[str, Counter[tuple[str, ...]]] = {}

    def __call__(self, predicted: str, gold: str) -> TpFpFn:
        gold_digest = self._gold_digests.get(gold)
        if gold_digest is None:
            gold_digest = self._gold_digests[gold] = _digest(gold)
        key = gold_digest + _digest(predicted)
        scores = self._used.get(key) or self._known.get(key)
        if scores is None:
            if not predicted:
                scores = page_scores(predicted, gold)  # no shingle to count: cheap
            else:
                shingles = self._gold_shingles.get(gold)
                if shingles is None:
                    shingles = self._gold_shingles[gold] = shingle_counts(gold)
                scores = shingle_overlap(shingle_counts(predicted), shingles)
        self._used[key] = scores
        return scores

    @classmethod
    def load(cls, path: Path) -> Scorer:
        """A scorer knowing the scores saved in ``path`` (none if the file is missing or unreadable)."""
        try:
            with gzip.open(path, "rt", encoding="utf-8") as stream:
                saved = json.load(stream)
            known = {key: (tp, fp, fn) for key, (tp, fp, fn) in saved["scores"].items()}
        except (OSError, EOFError, ValueError, KeyError, TypeError):
            known = {}
        return cls(known)

    def save(self, path: Path) -> None:
        """Write the scores used since this scorer was made to ``path`` (atomically)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        with gzip.open(temporary, "wt", encoding="utf-8") as stream:
            json.dump({"metric": METRIC, "scores": self._used}, stream)
        os.replace(temporary, path)

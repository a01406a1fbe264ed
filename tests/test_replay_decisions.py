"""bench/replay_decisions.py: rules replayed on collected line results score as the benchmark does."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench"

GOLD = "The council voted on Tuesday to build three new cycle lanes across the old town."
LINES = ["Home | News | Sport", GOLD, "Share on Facebook"]


def _results(path: Path) -> None:
    labels = ["body", "nav"]
    record = {
        "corpus": "tiny", "id": "1", "gold": GOLD, "threshold": 0.5, "fallback": False, "narrowed": False,
        "declares_article": True, "labels": labels, "numbers": [1, 3, 5], "texts": LINES,
        "probabilities": [[0.1, 0.9], [0.9, 0.1], [0.3, 0.7]], "keep": [0.1, 0.9, 0.3], "kept": [False, True, False],
    }  # fmt: skip
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(json.dumps(record) + "\n")


def test_rules_replay_against_the_pipeline_s_decisions(tmp_path: Path) -> None:
    _results(tmp_path / "results.jsonl.gz")
    rules = tmp_path / "rules.py"
    rules.write_text(
        "def rule_as_decided(page):\n    return page.kept\n\n"
        "def rule_keep_all(page):\n    return [True] * len(page.texts)\n"
    )
    found = subprocess.run(
        [sys.executable, str(BENCH / "replay_decisions.py"), "score", str(tmp_path / "results.jsonl.gz"), str(rules), "--list"],
        capture_output=True, text=True, check=True, cwd=BENCH,
    )  # fmt: skip
    rows = {line.split(" | ")[0].strip("| "): line for line in found.stdout.splitlines() if line.startswith("| ")}
    assert "1.0000 (0)" in rows["decided"] and "1.0000 (0)" in rows["rule_as_decided"]
    # Keeping the menu and the share prompt too: precision falls, recall stays, one page changed.
    assert "(1)" in rows["rule_keep_all"] and "1.0000" not in rows["rule_keep_all"]
    assert "tiny/1: 1.000 -> " in found.stdout

"""The package as installed: every subpackage of the source tree is in the distribution, and the
shipped models load whatever the current folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_is_distributed():
    tomllib = pytest.importorskip("tomllib")
    declared = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"]
    )
    found = {".".join(path.parent.relative_to(ROOT).parts) for path in (ROOT / "cleaner").rglob("__init__.py")}
    assert found | {"cleaner.models"} == declared


def test_the_models_load_from_the_repository_root_and_from_elsewhere(tmp_path):
    """From the repository's root the source folder shadows an installed package, which has no
    cleaner.models there: the models are found in the checkout's models/ folder."""
    script = (
        "from cleaner import clean; print(clean('Un paragraphe assez long pour être un vrai texte, avec des mots.\\n'))"
    )
    for folder in (ROOT, tmp_path):
        result = subprocess.run([sys.executable, "-c", script], cwd=folder, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr

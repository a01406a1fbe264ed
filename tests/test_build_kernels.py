"""The corpus build pins the floating-point kernels, so that every x86-64 machine writes the same models."""

from __future__ import annotations

import importlib.util
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

import pytest

BUILD = Path(__file__).resolve().parent.parent / "training" / "build_models.py"


def load_build():
    spec = importlib.util.spec_from_file_location("build_models", BUILD)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(platform.machine().lower() not in ("x86_64", "amd64"), reason="x86-64 kernels")
def test_the_pinned_environment_loads_avx2_kernels_only():
    environment = load_build().pinned_kernels()
    assert environment["OPENBLAS_CORETYPE"] == "Haswell"
    probe = (
        "import json, numpy\n"
        "try:\n"
        "    from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__\n"
        "except ImportError:\n"
        "    from numpy.core._multiarray_umath import __cpu_dispatch__, __cpu_features__\n"
        "from threadpoolctl import threadpool_info\n"
        "print(json.dumps({'numpy': [t for t in __cpu_dispatch__ if __cpu_features__.get(t)],\n"
        "    'blas': [i.get('architecture') for i in threadpool_info() if i['internal_api'] == 'openblas']}))\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe], env={**os.environ, **environment}, capture_output=True, text=True, check=True
    )
    loaded = json.loads(found.stdout)
    assert set(loaded["numpy"]) <= {"X86_V2", "X86_V3"}
    assert loaded["blas"] and set(loaded["blas"]) == {"Haswell"}


@pytest.mark.slow
def test_the_build_runs_on_a_sample_and_gives_html_models_their_text_view(tmp_path):
    """training/build_models.py end to end on three pages of each corpus: both modes and every held-out
    model written, and the HTML models' decisions chosen with the text view (recorded in their info)."""
    from cleaner import Cleaner
    from cleaner.corpus.pages import CORPORA, default_corpora_dir
    from cleaner.model import Model

    corpora = default_corpora_dir()
    if not corpora.is_dir():
        pytest.skip(f"{corpora} is absent")
    out, held = tmp_path / "models", tmp_path / "held-out"
    command = [sys.executable, str(BUILD), "--limit", "3", "--jobs", "1", "--corpora", str(corpora)]
    command += ["--output", str(out), "--held-out", str(held), "--cache", str(tmp_path / "cache"), "--windows", "2"]
    subprocess.run(command, check=True, capture_output=True, text=True)
    text, html = Model.load(out / "text.json"), Model.load(out / "html.json")
    assert sorted(path.name for path in held.iterdir()) == sorted(
        f"{mode}-{corpus}.json" for mode in ("text", "html") for corpus in CORPORA
    )
    assert html.info["hyperparameters"]["text_view_weight"] > 0
    assert "text_view_weight" not in text.info["hyperparameters"]
    assert Cleaner(text, html).html_model.view is text
    # Asked to, the text model fits windows of the pages too; they are not counted (nor scored) as pages.
    assert text.info["training_data"]["windows"] > 0 and "windows" not in html.info["training_data"]
    counted = text.info["training_data"]["pages_per_corpus"]
    assert all(count <= 3 for corpus, count in counted.items() if corpus != "seeds")

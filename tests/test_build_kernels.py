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

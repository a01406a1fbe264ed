"""Prediction runs with one BLAS thread, whatever the caller's setting, which it then gets back."""

from __future__ import annotations

import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from cleaner import Cleaner
from cleaner.model import Model
from cleaner.threads import one_blas_thread


def _blas_threads() -> set[int]:
    return {library["num_threads"] for library in threadpool_info() if library["user_api"] == "blas"}


@pytest.fixture
def two_blas_threads():
    if not _blas_threads():
        pytest.skip("no BLAS library with threads is loaded")
    with threadpool_limits(limits=2, user_api="blas"):
        yield


def test_one_blas_thread_inside_and_the_callers_setting_after(two_blas_threads):
    before = _blas_threads()
    with one_blas_thread():
        assert _blas_threads() == {1}
    assert _blas_threads() == before


def test_a_library_call_predicts_with_one_blas_thread(two_blas_threads, monkeypatch, seed_pages):
    seen: list[set[int]] = []
    predict = Model.predict

    def spying(self, *args, **kwargs):
        seen.append(_blas_threads())
        return predict(self, *args, **kwargs)

    monkeypatch.setattr(Model, "predict", spying)
    before = _blas_threads()
    Cleaner.load().clean(seed_pages[0].original_text())
    assert seen == [{1}]
    assert _blas_threads() == before

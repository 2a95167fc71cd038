"""Shared test set-up: the default model must exist (`make install` builds it)."""

from __future__ import annotations

import pytest

from screening.screener import default_model_stem


def pytest_sessionstart(session: pytest.Session) -> None:
    manifest = default_model_stem().parent / (default_model_stem().name + ".json")
    if not manifest.exists():
        raise pytest.UsageError(
            f"no default model at {manifest}: run `make install` (it trains one from "
            "synthetic data)"
        )

"""The end-to-end tier: real servers on 127.0.0.1, the real CLI in a
subprocess, real worker processes. Every test here is marked `e2e`, so
`-m "not e2e"` leaves them out wherever they are collected from."""

from __future__ import annotations

from pathlib import Path

import pytest

_HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _HERE in item.path.parents:
            item.add_marker(pytest.mark.e2e)

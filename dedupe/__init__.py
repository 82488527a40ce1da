"""Pure duplicate-detection functions: extraction, signatures, clusters.

`dedupe` never imports `crawler` or `store` (a test enforces it): everything
here is a function over plain values, so it can run in a worker process or a
distributed engine. Public names load lazily to keep `import dedupe` cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "extract_page": "dedupe.extract",
    "main_text": "dedupe.extract",
    "signatures": "dedupe.minhash",
    "MinHashParams": "dedupe.params",
    "DEFAULT_PARAMS": "dedupe.params",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'dedupe' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)

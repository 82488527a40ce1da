"""Errors the CLI shows as one line and an exit code, never a traceback::

    CopyhoundError (exit 1)
    ├── InputError        bad command-line input: URL, path, option value
    ├── NothingFetched    no seed at all could be fetched
    └── FailOnTriggered   --fail-on found a copy with a listed status (exit 3)

`store.StoreError` (database problems) is shown the same way, with exit 1.
"""

from __future__ import annotations

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_FAIL_ON = 3
EXIT_INTERRUPTED = 130


class CopyhoundError(Exception):
    exit_code = EXIT_ERROR


class InputError(CopyhoundError, ValueError):
    pass


class NothingFetched(CopyhoundError):
    pass


class FailOnTriggered(CopyhoundError):
    exit_code = EXIT_FAIL_ON

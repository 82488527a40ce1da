"""Errors of the store, all `StoreError` (a `RuntimeError`)::

    StoreError
    ├── NotADatabase      the file is not SQLite, or not copyhound's
    ├── TooNewDatabase    written by a newer copyhound (more migrations than we know)
    ├── ParamsMismatch    signatures were made with other MinHash parameters
    ├── DatabaseBusy      another crawl holds the database
    └── StoreWriteError   the file or its folder cannot be written (read-only, disk full)
"""

from __future__ import annotations


class StoreError(RuntimeError):
    """A database problem the user can act on; the message says how."""


class NotADatabase(StoreError):
    pass


class TooNewDatabase(StoreError):
    pass


class ParamsMismatch(StoreError):
    pass


class DatabaseBusy(StoreError):
    pass


class StoreWriteError(StoreError):
    pass

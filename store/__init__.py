"""SQLite state of copyhound (through sqlite-utils): schema, reads, writes."""

from copyhound.store.db import SCHEMA_VERSION, open_db
from copyhound.store.errors import (
    DatabaseBusy,
    NotADatabase,
    ParamsMismatch,
    StoreError,
    StoreWriteError,
    TooNewDatabase,
)

__all__ = [
    "SCHEMA_VERSION",
    "DatabaseBusy",
    "NotADatabase",
    "ParamsMismatch",
    "StoreError",
    "StoreWriteError",
    "TooNewDatabase",
    "open_db",
]

"""Which pages the dedupe stage must read again: the part of a re-run that
makes its cost follow the change, not the corpus.

A page is read again when the store's triggers marked it (a post added,
deleted or changed, or a fact the clusters read of the page changed: m010),
when it became or stopped being another page's alias, and every page when
the stage has no state yet, its thresholds changed, or the set of own hosts
did (an `--own-domain` added). Everything else is known from the last run.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

from sqlite_utils import Database

from copyhound.store import matches as match_store
from copyhound.store import posts as post_store
from copyhound.store.pages import alias_page_ids


@dataclass(frozen=True, slots=True, kw_only=True)
class Changes:
    pages: list[int] | None  # pages to read again; None: every page (a full run)
    aliases: set[int]  # pages that are another page under a second URL, now
    own_key: str  # digest of the own hosts, now

    @property
    def full(self) -> bool:
        return self.pages is None


def _probe_url(host: str) -> str:
    return f"http://[{host}]/" if ":" in host else f"http://{host}/"


def own_hosts_key(db: Database, is_own_url: Callable[[str], bool]) -> str:
    """A digest of which stored hosts are the user's own: `--own-domain` is a
    rule on hosts, so asking it once per host sees every change to it."""
    own = sorted(h for h in post_store.hosts(db) if is_own_url(_probe_url(h)))
    return hashlib.blake2b("\n".join(own).encode("utf-8"), digest_size=12).hexdigest()


def find_changes(db: Database, is_own_url: Callable[[str], bool], *, reset: bool) -> Changes:
    """The pages to read again (see the module docstring)."""
    own_key = own_hosts_key(db, is_own_url)
    full = reset or not match_store.any_inputs(db) or match_store.get_state(db, "own_hosts") != own_key
    if full:
        return Changes(pages=None, aliases=alias_page_ids(db), own_key=own_key)
    before = set(json.loads(match_store.get_state(db, "aliases") or "[]"))
    dirty = set(match_store.dirty_pages(db))
    # which page stands for which is decided within pages of one host and
    # body: with no page marked, none of them changed (the query reads every page)
    aliases = alias_page_ids(db) if dirty else before
    return Changes(pages=sorted(dirty | (aliases ^ before)), aliases=aliases, own_key=own_key)


def save_changes(db: Database, changes: Changes) -> None:
    """The run saw these changes: clear their marks, keep what the next run
    compares with (caller holds the transaction)."""
    match_store.clear_dirty(db, changes.pages)
    match_store.set_state(db, "aliases", json.dumps(sorted(changes.aliases)))
    match_store.set_state(db, "own_hosts", changes.own_key)


__all__ = ["Changes", "find_changes", "own_hosts_key", "save_changes"]

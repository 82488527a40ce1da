"""Where the original of a `revisit` record is: a bounded index of earlier responses.

A revisit carries no body: it names its original by WARC-Refers-To-Target-URI
and -Date, or by payload digest (identical-payload-digest profile, what
Common Crawl and Heritrix write for deduplicated fetches). The index keeps
only (file, offset) per response, never bodies, and forgets the oldest entry
past `max_entries`, so a million-record stream costs a bounded few MB.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

# Each entry is a few short strings: ~300 bytes, so 100k entries stay near 30 MB.
DEFAULT_MAX_ENTRIES = 100_000


@dataclass(frozen=True, slots=True)
class Original:
    source: str | None
    offset: int
    record_id: str


Key = tuple[str, ...]


def response_keys(uri: str, date: str, digest: str | None) -> list[Key]:
    """The keys a response is found by: its (URI, date), its URI's latest capture, its payload digest."""
    return [("uri", uri, date), ("latest", uri), *([("digest", digest)] if digest else [])]


def lookup_keys(uri: str | None, date: str | None, digest: str | None) -> list[Key]:
    """The keys a revisit looks its original up by, in order: (URI, date), the
    digest, and, for a server-not-modified revisit written without
    WARC-Refers-To-Date (its original in an earlier run), the URI's latest capture."""
    keys: list[Key] = []
    if uri and date:
        keys.append(("uri", uri, date))
    if digest:
        keys.append(("digest", digest))
    if uri and not date:
        keys.append(("latest", uri))
    return keys


class RevisitIndex:
    """Responses seen so far, by payload digest and by (URI, date); shareable across files."""

    def __init__(self, max_entries: int = DEFAULT_MAX_ENTRIES) -> None:
        self._max = max_entries
        self._by_key: OrderedDict[Key, Original] = OrderedDict()

    def __len__(self) -> int:
        return len(self._by_key)

    def add(self, original: Original, *, uri: str, date: str, digest: str | None) -> None:
        # inlined `_put` for each key: this runs for every response record read
        by_key = self._by_key
        for key in response_keys(uri, date, digest):
            by_key.pop(key, None)
            by_key[key] = original
        while len(by_key) > self._max:  # the oldest go first, as with one `_put` a key
            by_key.popitem(last=False)

    def find(self, *, uri: str | None, date: str | None, digest: str | None) -> Original | None:
        """The original by (URI, date) first, the digest second, the URI's latest capture last."""
        for key in lookup_keys(uri, date, digest):
            hit = self._by_key.get(key)
            if hit is not None:
                return hit
        return None

    def _put(self, key: Key, original: Original) -> None:
        by_key = self._by_key
        by_key.pop(key, None)  # re-added last: the newest (cheaper than move_to_end on every call)
        by_key[key] = original
        if len(by_key) > self._max:  # one key added at most: one to forget
            by_key.popitem(last=False)

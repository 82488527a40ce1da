"""prepare_body for archived pages: the hash without the compressed body."""

from __future__ import annotations

import zlib

from copyhound.dedupe.match.text import text_hash
from copyhound.store.pages import body_hash, prepare_body


def test_an_archived_body_keeps_its_hash_but_not_its_bytes() -> None:
    body = b"<html><body><p>an archived page</p></body></html>"
    kept = prepare_body(body, None, text_hash)
    archived = prepare_body(body, None, text_hash, keep_body=False)
    assert kept.body_zlib is not None and zlib.decompress(kept.body_zlib) == body
    assert archived.body_zlib is None
    assert archived.body_hash == kept.body_hash == body_hash(body)

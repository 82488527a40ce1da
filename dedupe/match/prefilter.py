"""The hunt's pre-filter: may a raw HTML body hold one of the own posts?

It runs on every archived record, ~99% of which hold none, so it reads the
body as cheaply as it can: tags, scripts and styles cut out with one regex
over the bytes (no HTML parse, no extraction), and the pages of a group
shingled together (`OwnIndex.may_hold_many`). A page passes when it shares
`min_shared_samples` sampled shingles with the own posts; the hunt then
extracts and verifies only those.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from copyhound.dedupe.match.own_index import OwnIndex

_TAGS = re.compile(rb"<script\b.*?</script>|<style\b.*?</style>|<[^>]*>", re.IGNORECASE | re.DOTALL)


def page_text(body: bytes) -> str:
    """The body's text for the pre-filter: every tag a space, script and style contents dropped."""
    return _TAGS.sub(b" ", body).decode("utf-8", "replace")


def bodies_may_hold(index: OwnIndex, bodies: Sequence[bytes]) -> npt.NDArray[np.bool_]:
    """`index.may_hold(page_text(body))` for each body, in one batch."""
    return index.may_hold_many([page_text(b) for b in bodies])


__all__ = ["bodies_may_hold", "page_text"]

"""One line in plain words per copy: what it means for the original's search
ranking and what to ask of whoever runs the copy.

The contract's `status` is a machine word (`missing-canonical`); a site owner
auditing syndicated copies wants the consequence ("asks search engines to
choose between it and your post"). `add_verdicts` adds these lines to a
report dict as extra fields ("add, don't break": the schema allows them).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from copyhound.hosts import url_on_hosts

_KIND = {
    "exact": "exact copy",
    "near": "near copy, {sim:.0%} similar",
    "contains": "holds the whole post among other posts (archive or listing)",
    "excerpt": "excerpt, {cont:.0%} of the post",
}

# What each status does to the original's standing in search.
_CONSEQUENCE = {
    "canonical-ok": "canonical link points to {orig}: search engines credit {orig}",
    "noindex": "kept out of search results (noindex): does not compete with {orig}",
    "self-canonical": "declares itself the original (self-canonical): competes with {orig} in search",
    "canonical-elsewhere": "canonical link points to a third URL ({link}): search engines may credit neither",
    "missing-canonical": "indexable copy with no canonical link: asks search engines to choose between it "
    "and {orig}",
}

# What to do about it: ask the other site, or fix your own page.
_ASK_THEM = {
    "self-canonical": "ask them for a canonical link to {orig}",
    "canonical-elsewhere": "ask them to point the canonical link to {orig}",
    "missing-canonical": "ask them for a canonical link to {orig} (or noindex)",
}
_FIX_OWN = {
    "self-canonical": "point its canonical link to {orig}",
    "canonical-elsewhere": "point its canonical link to {orig}",
    "missing-canonical": "add a canonical link to {orig}, or noindex it",
}
_FIX_OWN_LISTING = "show an excerpt there instead of the whole post, or noindex the listing"


def verdict(copy: dict[str, Any], *, own: bool, own_copy: bool = False) -> str:
    """The plain-words verdict for one copy (a schema `copies[]` item).

    `own`: the canonical is the reader's post; `own_copy`: the copy is on the
    reader's own site too (a tag archive, a duplicate URL), so the fix is theirs.
    """
    orig = "your post" if own else "the original"
    status = copy["status"]
    parts = [_CONSEQUENCE.get(status, status).format(orig=orig, link=copy.get("canonical_link"))]
    kind = _KIND.get(copy["relation"], "copy").format(sim=copy["similarity"], cont=copy["containment"])
    credit = "links back" if copy["links_to_canonical"] else "no link back"
    parts.append(f"{kind}, {credit}")
    if own_copy and status in _FIX_OWN:
        fix = _FIX_OWN_LISTING if copy["relation"] == "contains" else _FIX_OWN[status].format(orig=orig)
        parts.append(f"on your site: {fix}")
    elif own and status in _ASK_THEM:
        parts.append(_ASK_THEM[status].format(orig=orig))
    return "; ".join(parts)


def is_own_url(url: str, own_domains: Sequence[str]) -> bool:
    return url_on_hosts(url, own_domains)


def add_verdicts(report: dict[str, Any], own_domains: Sequence[str]) -> dict[str, Any]:
    """The report with `verdict` on every copy, `own_post` on every cluster and
    top-level `own_domains` (extra fields; the contract fields are untouched)."""
    clusters = []
    for cl in report["clusters"]:
        own = is_own_url(cl["canonical"]["url"], own_domains) or cl["canonical"]["reason"] == "own-domain"
        copies = [
            {**c, "verdict": verdict(c, own=own, own_copy=own and is_own_url(c["url"], own_domains))}
            for c in cl["copies"]
        ]
        clusters.append({**cl, "own_post": own, "copies": copies})
    return {**report, "own_domains": list(own_domains), "clusters": clusters}


__all__ = ["add_verdicts", "is_own_url", "verdict"]

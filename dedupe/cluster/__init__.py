"""Clustering: verified overlaps → clusters around posts → canonical → audit.

`build` groups posts, `election` picks each cluster's canonical in the
contract's order, `audit` gives every copy its relation and status.
"""

from copyhound.dedupe.cluster.audit import make_copy, relation, status
from copyhound.dedupe.cluster.build import build_clusters, cluster_id
from copyhound.dedupe.cluster.election import elect
from copyhound.dedupe.cluster.urlkeys import same_url, url_key

__all__ = ["build_clusters", "cluster_id", "elect", "make_copy", "relation", "same_url", "status", "url_key"]

"""Views that make the database explain itself (Datasette, sqlite3, any SQL
client): `copies`, one row per copy with everything a site owner asks about
it, and `cluster_summary`, one row per post with its copy counts.

The SQL below is the text migration m006 created; a change is a new
migration that drops and re-creates the view, never an edit here, so every
database of one schema version holds the same views.
"""

from __future__ import annotations

from sqlite_utils import Database

# The statuses that need the site owner's action (copyhound.report.ACTION_STATUSES).
_ACTION = "('missing-canonical', 'self-canonical', 'canonical-elsewhere')"

COPIES_V1 = f"""
CREATE VIEW copies AS
SELECT
  m.cluster_id AS cluster_id,
  c.canonical_url AS canonical_url,
  c.title AS canonical_title,
  m.url AS copy_url,
  p.host AS host,
  m.relation AS relation,
  m.similarity AS similarity,
  m.containment AS containment,
  m.canonical_link AS canonical_link,
  m.robots_noindex AS noindex,
  m.links_to_canonical AS attribution,
  m.status AS status,
  m.status IN {_ACTION} AS needs_action,
  (SELECT min(r.run_id) FROM run_copies r WHERE r.url = m.url AND r.canonical_url = c.canonical_url)
    AS first_seen_run,
  (SELECT max(r.run_id) FROM run_copies r WHERE r.url = m.url AND r.canonical_url = c.canonical_url)
    AS last_seen_run,
  m.page_id AS page_id,
  m.post_id AS post_id
FROM cluster_members m
JOIN clusters c ON c.id = m.cluster_id
LEFT JOIN pages p ON p.id = m.page_id
"""

CLUSTER_SUMMARY_V1 = f"""
CREATE VIEW cluster_summary AS
SELECT
  c.id AS cluster_id,
  c.canonical_url AS canonical_url,
  c.title AS title,
  c.published AS published,
  c.reason AS reason,
  count(m.url) AS copies,
  sum(m.status IN {_ACTION}) AS needing_action,
  count(DISTINCT p.host) AS hosts,
  round(max(m.similarity), 4) AS max_similarity
FROM clusters c
JOIN cluster_members m ON m.cluster_id = c.id
LEFT JOIN pages p ON p.id = m.page_id
GROUP BY c.id
"""

VIEWS = ("copies", "cluster_summary")


def create_views_v1(db: Database) -> None:
    # first/last_seen_run look copies up by URL in every run's snapshot.
    db.executescript(
        "CREATE INDEX IF NOT EXISTS run_copies_url ON run_copies(url, canonical_url);"
        + COPIES_V1 + ";" + CLUSTER_SUMMARY_V1 + ";"
    )


__all__ = ["CLUSTER_SUMMARY_V1", "COPIES_V1", "VIEWS", "create_views_v1"]


# Canned queries for `copyhound serve` (Datasette): the questions a site
# owner comes with. Read-only SELECTs over the views and the run snapshots.
CANNED_QUERIES: dict[str, tuple[str, str, str]] = {
    "competing_copies": (
        "Copies that compete with my posts",
        "Indexable copies that claim to be the original (self-canonical) or name no canonical "
        "(missing-canonical): search engines may rank them instead of your post. Most similar first.",
        "SELECT copy_url, host, status, relation, similarity, canonical_url, canonical_title, canonical_link "
        "FROM copies WHERE status IN ('self-canonical', 'missing-canonical') "
        "ORDER BY similarity DESC, copy_url",
    ),
    "new_since_previous_run": (
        "New copies since the previous run",
        "Copies the last finished crawl found that the finished crawl before it did not.",
        "WITH fin AS (SELECT id FROM runs WHERE state = 'finished' ORDER BY id DESC LIMIT 2), "
        "last AS (SELECT max(id) AS id FROM fin), "
        "prev AS (SELECT min(id) AS id FROM fin WHERE id < (SELECT id FROM last)) "
        "SELECT r.url AS copy_url, r.canonical_url, r.status, r.relation, r.similarity, r.run_id "
        "FROM run_copies r WHERE r.run_id = (SELECT id FROM last) AND NOT EXISTS ("
        "SELECT 1 FROM run_copies o WHERE o.run_id = (SELECT id FROM prev) "
        "AND o.url = r.url AND o.canonical_url = r.canonical_url) ORDER BY r.canonical_url, r.url",
    ),
    "hosts_by_copies": (
        "Hosts ranked by copies",
        "Which hosts hold copies of your posts, and how many of those need action.",
        "SELECT host, count(*) AS copies, sum(needs_action) AS needing_action, "
        "sum(status = 'missing-canonical') AS missing_canonical, sum(status = 'self-canonical') AS self_canonical, "
        "count(DISTINCT cluster_id) AS posts FROM copies GROUP BY host ORDER BY copies DESC, host",
    ),
    "posts_copied_most": (
        "My posts copied most",
        "Each post with how many copies it has, on how many hosts, and how many need action.",
        "SELECT canonical_url, title, copies, hosts, needing_action, max_similarity, reason "
        "FROM cluster_summary ORDER BY copies DESC, needing_action DESC, canonical_url",
    ),
}

__all__ += ["CANNED_QUERIES"]

"""The database schema, created and evolved by sqlite-utils migrations.

Migrations are applied in order and never edited once released: a schema
change is a new function appended at the end. `SCHEMA_VERSION` counts them,
so a database written by a newer copyhound (more migrations applied than this
one knows) is refused instead of being misread.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATION_SET = "copyhound"
migrations = Migrations(MIGRATION_SET)


@migrations()
def m001_initial(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE params (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );

        -- One row per `copyhound crawl` invocation; an interrupted run is
        -- resumed (same id) by the next crawl on the database.
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            state TEXT NOT NULL DEFAULT 'running',  -- running | finished | interrupted
            seeds TEXT NOT NULL,                    -- JSON list
            options TEXT NOT NULL DEFAULT '{}',     -- JSON
            stats TEXT NOT NULL DEFAULT '{}',       -- JSON counters
            pid INTEGER
        );

        -- The persistent queue and seen-set of the current run.
        CREATE TABLE frontier (
            url TEXT PRIMARY KEY,
            run_id INTEGER NOT NULL,
            host TEXT NOT NULL,
            depth INTEGER NOT NULL,
            source TEXT NOT NULL,
            referrer TEXT,
            published_hint TEXT,
            state TEXT NOT NULL DEFAULT 'queued',   -- queued | inflight | done | failed | skipped
            seq INTEGER NOT NULL,                   -- discovery order (BFS)
            discovered_at TEXT NOT NULL
        );
        CREATE INDEX frontier_state_seq ON frontier(state, seq);
        CREATE INDEX frontier_host ON frontier(host);

        -- AUTOINCREMENT: ids of deleted pages and posts are never reused, so a
        -- stored reference (a cluster member, a run snapshot) cannot point at
        -- a different post later.
        CREATE TABLE pages (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            url TEXT NOT NULL UNIQUE,               -- normalised URL requested
            final_url TEXT,
            host TEXT NOT NULL,
            status INTEGER,
            headers TEXT NOT NULL DEFAULT '{}',     -- JSON, lower-cased names
            content_type TEXT,
            charset TEXT,
            bytes INTEGER,
            elapsed_ms REAL,
            fetched_at TEXT,
            first_seen TEXT NOT NULL,
            last_run_id INTEGER,
            depth INTEGER,
            etag TEXT,
            last_modified TEXT,
            body_hash TEXT,
            body BLOB,                              -- zlib-compressed HTML
            redirects TEXT NOT NULL DEFAULT '[]',   -- JSON list of hops
            error_kind TEXT,
            error TEXT,
            published_hint TEXT,                    -- sitemap lastmod / feed date
            -- extraction results
            title TEXT,
            canonical_link TEXT,
            canonical_links TEXT NOT NULL DEFAULT '[]',
            og_url TEXT,
            robots_noindex INTEGER NOT NULL DEFAULT 0,
            published TEXT,
            modified TEXT,
            author TEXT,
            language TEXT,
            links TEXT NOT NULL DEFAULT '[]',       -- JSON: out links, for 304 re-use
            extraction_error TEXT,
            gone INTEGER NOT NULL DEFAULT 0         -- answered 404/410 on the last crawl
        );
        CREATE INDEX pages_host ON pages(host);

        CREATE TABLE posts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            page_id INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL,
            kind TEXT NOT NULL DEFAULT 'post',      -- post | teaser
            title TEXT,
            text TEXT NOT NULL,
            text_hash TEXT NOT NULL,                -- hash of the normalised text
            words INTEGER NOT NULL,
            permalink TEXT,
            published TEXT,
            links TEXT NOT NULL DEFAULT '[]',
            UNIQUE(page_id, ordinal)
        );
        CREATE INDEX posts_text_hash ON posts(text_hash);

        -- MinHash signatures, with the parameters that made them (params table
        -- holds the set in force; a mismatch is refused, never mixed).
        CREATE TABLE signatures (
            post_id INTEGER PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,
            text_hash TEXT NOT NULL,
            minhash BLOB NOT NULL,                  -- datasketch LeanMinHash.serialize(byteorder='<')
            shingles INTEGER NOT NULL
        );
        CREATE TABLE bands (
            band_key INTEGER NOT NULL,
            post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE
        );
        CREATE INDEX bands_key ON bands(band_key);
        CREATE INDEX bands_post ON bands(post_id);
        -- A 1-in-N sample of each post's shingle hashes, for containment.
        CREATE TABLE samples (
            hash INTEGER NOT NULL,
            post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE
        );
        CREATE INDEX samples_hash ON samples(hash);
        CREATE INDEX samples_post ON samples(post_id);

        CREATE TABLE clusters (
            id TEXT PRIMARY KEY,
            canonical_post_id INTEGER NOT NULL,
            canonical_page_id INTEGER NOT NULL,
            canonical_url TEXT NOT NULL,
            title TEXT,
            published TEXT,
            reason TEXT NOT NULL,
            run_id INTEGER
        );
        CREATE TABLE cluster_members (
            cluster_id TEXT NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
            post_id INTEGER NOT NULL,
            page_id INTEGER NOT NULL,
            url TEXT NOT NULL,
            relation TEXT NOT NULL,
            similarity REAL NOT NULL,
            containment REAL NOT NULL,
            canonical_link TEXT,
            robots_noindex INTEGER NOT NULL,
            links_to_canonical INTEGER NOT NULL,
            status TEXT NOT NULL,
            PRIMARY KEY (cluster_id, url)
        );

        -- What each finished run reported, one row per copy: `diff` and
        -- `report --since` compare these.
        CREATE TABLE run_copies (
            run_id INTEGER NOT NULL,
            cluster_id TEXT NOT NULL,
            canonical_url TEXT NOT NULL,
            url TEXT NOT NULL,
            relation TEXT NOT NULL,
            status TEXT NOT NULL,
            similarity REAL NOT NULL,
            canonical_link TEXT,
            PRIMARY KEY (run_id, cluster_id, url)
        );
        """
    )


@migrations()
def m002_frontier_documents(db: Database) -> None:
    # Sitemaps and feeds are frontier items too (kind), so a resumed crawl
    # does not read them twice; redirect targets carry the chain that led to
    # them, so loops and over-long chains are caught across frontier hops.
    db.executescript(
        """
        ALTER TABLE frontier ADD COLUMN kind TEXT NOT NULL DEFAULT 'page';  -- page | sitemap | feed
        ALTER TABLE frontier ADD COLUMN redirect_chain TEXT;               -- JSON list, NULL when none
        """
    )


@migrations()
def m003_dedupe_matches(db: Database) -> None:
    # Incremental dedupe: verified overlaps between distinct normalised texts
    # (keys are posts.text_hash), so a re-crawl compares only new texts; and
    # a fingerprint of what each post brought to the clusters (text, URL,
    # canonical link, noindex, dates, own-domain...), so only clusters whose
    # inputs changed are rebuilt.
    db.executescript(
        """
        CREATE TABLE matches (
            a_key TEXT NOT NULL,
            b_key TEXT NOT NULL,
            jaccard REAL NOT NULL,
            a_in_b REAL NOT NULL,                   -- fraction of a's shingles found in b
            b_in_a REAL NOT NULL,
            shared INTEGER NOT NULL,                -- shingles in common
            PRIMARY KEY (a_key, b_key)
        );
        CREATE INDEX matches_b ON matches(b_key);
        CREATE TABLE cluster_inputs (
            post_id INTEGER PRIMARY KEY,
            text_key TEXT NOT NULL,
            fingerprint TEXT NOT NULL
        );
        """
    )


@migrations()
def m004_post_raw_text(db: Database) -> None:
    # Site-level chrome is learned after a crawl and stripped from posts.text;
    # the text as extracted is kept (raw_text, only where it differs) so the
    # chrome can be re-learned as the host grows, and raw_hash lets a
    # re-crawl tell an unchanged post from a changed one.
    db.executescript(
        """
        ALTER TABLE posts ADD COLUMN raw_text TEXT;   -- NULL: text is the raw text
        ALTER TABLE posts ADD COLUMN raw_hash TEXT;   -- hash of the text as extracted
        UPDATE posts SET raw_hash = text_hash;
        """
    )


@migrations()
def m005_index_rows_per_text(db: Database) -> None:
    # A post recurs on its page, its tag archives and the home page: the LSH
    # rows (bands, samples) are kept for one signed post per distinct text,
    # its index owner (indexed = 1), not repeated for every copy. Existing
    # databases have rows for every post: each is an owner.
    db.executescript(
        """
        ALTER TABLE signatures ADD COLUMN indexed INTEGER NOT NULL DEFAULT 1;
        """
    )


@migrations()
def m006_views_and_search(db: Database) -> None:
    # Issue 16: a database that explains itself in Datasette or any SQL
    # client: the `copies` and `cluster_summary` views, and full-text search
    # on post titles and texts.
    from copyhound.store.search import enable_post_search
    from copyhound.store.views import create_views_v1

    create_views_v1(db)
    enable_post_search(db)


@migrations()
def m007_search_indexed_per_run(db: Database) -> None:
    # The post index left the crawl's hot path (see store/search.py): a
    # database the first m006 wrote indexes on insert; swap its triggers.
    from copyhound.store.search import install_forget_triggers

    install_forget_triggers(db)


@migrations()
def m008_documents(db: Database) -> None:
    # robots.txt, sitemaps and feeds of the last crawl with their validators:
    # a re-crawl asks for them conditionally and, on a 304, reads the stored
    # body again instead of downloading it (issue 14).
    db.executescript(
        """
        CREATE TABLE documents (
            url TEXT PRIMARY KEY,
            kind TEXT NOT NULL,          -- robots | sitemap | feed | page (an XML file reached by a link)
            etag TEXT,
            last_modified TEXT,
            body BLOB NOT NULL,          -- zlib
            fetched_at TEXT NOT NULL
        );
        """
    )


@migrations()
def m009_packed_lsh_rows(db: Database) -> None:
    # One row per index owner with its band keys and sampled shingle hashes
    # packed into blobs, instead of a row (and two index entries) per key:
    # at 10^6 posts that was ~90 rows and ~5 KB a post, and rebuilding the
    # indexes dominated the first run. Candidates now come from numpy sorts
    # over the packed arrays, read in bulk. Signature state is derived, so it
    # is emptied here and re-signed by the next run (verified matches and
    # cluster inputs stay: only new texts are compared again). `bands` and
    # `samples` are emptied, not dropped, and no longer read: dropping them
    # would cost every new database ~50 KB of WAL before its first page.
    db.executescript(
        """
        CREATE TABLE lsh (
            post_id INTEGER PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,
            band_keys BLOB NOT NULL,                -- int64 little-endian, one per band
            samples BLOB NOT NULL                   -- uint32 little-endian sampled shingle hashes, sorted
        );
        DELETE FROM signatures;
        DELETE FROM bands;
        DELETE FROM samples;
        """
    )



# What the dedupe stage reads from a page or post; a change to one of them
# marks the page for the next run (store/matches.py `dirty_pages`).
_PAGE_FACTS = ("url", "final_url", "host", "status", "gone", "first_seen", "published", "published_hint",
               "canonical_link", "robots_noindex", "body_hash")
_POST_FACTS = ("page_id", "ordinal", "kind", "title", "text_hash", "words", "permalink", "published", "links")


def _changed(cols: tuple[str, ...]) -> str:
    return " OR ".join(f"old.{c} IS NOT new.{c}" for c in cols)


@migrations()
def m010_dedupe_changes(db: Database) -> None:
    # Issue 17: a re-run costs what changed, not the corpus. Triggers mark the
    # pages whose posts the clusters read differently (`dedupe_dirty`), so the
    # dedupe stage reads those pages' posts only, never every post; a re-crawl
    # rewriting a page with equal values marks nothing. `cluster_inputs` learns
    # each post's page (a dirty page's previous inputs, deleted posts
    # included). Emptied here: the next run re-clusters everything once and
    # refills it with page ids (verified matches stay: only the clusters are
    # rebuilt). Signatures lose their
    # MinHash bytes (~530 B a post, ~10% of a 10^6-post database): nothing
    # reads them; band keys and samples are what matching reads, in `lsh`.
    db.executescript(
        f"""
        CREATE TABLE signatures_v2 (
            post_id INTEGER PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,
            text_hash TEXT NOT NULL,                -- the text it was signed from
            shingles INTEGER NOT NULL,
            indexed INTEGER NOT NULL DEFAULT 1      -- its text's index owner (has the `lsh` row)
        );
        INSERT INTO signatures_v2(post_id, text_hash, shingles, indexed)
            SELECT post_id, text_hash, shingles, indexed FROM signatures;
        DROP TABLE signatures;
        ALTER TABLE signatures_v2 RENAME TO signatures;
        CREATE TABLE dedupe_dirty (page_id INTEGER PRIMARY KEY);
        DELETE FROM cluster_inputs;
        ALTER TABLE cluster_inputs ADD COLUMN page_id INTEGER;
        CREATE INDEX cluster_inputs_page ON cluster_inputs(page_id);
        CREATE TRIGGER dedupe_post_added AFTER INSERT ON posts
        BEGIN INSERT OR IGNORE INTO dedupe_dirty(page_id) VALUES (new.page_id); END;
        CREATE TRIGGER dedupe_post_deleted AFTER DELETE ON posts
        BEGIN INSERT OR IGNORE INTO dedupe_dirty(page_id) VALUES (old.page_id); END;
        CREATE TRIGGER dedupe_post_changed AFTER UPDATE ON posts WHEN {_changed(_POST_FACTS)}
        BEGIN INSERT OR IGNORE INTO dedupe_dirty(page_id) VALUES (old.page_id), (new.page_id); END;
        CREATE TRIGGER dedupe_page_changed AFTER UPDATE ON pages WHEN {_changed(_PAGE_FACTS)}
        BEGIN INSERT OR IGNORE INTO dedupe_dirty(page_id) VALUES (new.id); END;
        CREATE TRIGGER dedupe_page_added AFTER INSERT ON pages
        BEGIN INSERT OR IGNORE INTO dedupe_dirty(page_id) VALUES (new.id); END;
        CREATE TRIGGER dedupe_page_deleted AFTER DELETE ON pages
        BEGIN INSERT OR IGNORE INTO dedupe_dirty(page_id) VALUES (old.id); END;
        """
    )
    _compress_raw_texts(db)


def _compress_raw_texts(db: Database) -> None:
    # posts.raw_text (the text before site chrome was stripped: a second copy
    # of most posts on a site with chrome) is stored zlib-compressed from m010
    # on (store/posts.py `pack_raw`); older rows are converted in id order.
    _pack_column(db, "raw_text")


def _pack_column(db: Database, column: str, batch: int = 2_000) -> None:
    """Compress the plain texts of posts.`column` (raw_text, text) in id order."""
    from copyhound.store.packed_text import pack_text

    last = 0
    while rows := db.execute(  # bounded: each round moves `last` past the rows it read
        f"SELECT id, {column} FROM posts WHERE id > ? AND {column} IS NOT NULL ORDER BY id LIMIT ?", [last, batch]
    ).fetchall():
        last = int(rows[-1][0])
        db.conn.executemany(f"UPDATE posts SET {column} = ? WHERE id = ?",
                            [(pack_text(t), i) for i, t in rows if isinstance(t, str) and t])


@migrations()
def m011_packed_post_texts(db: Database) -> None:
    # Issue 17: post texts were ~80% of a 10^6-post database (4.06 of 5.18 GB);
    # stored compressed from here on (store/packed_text.py), under a
    # contentless search index that the next refresh fills (store/search.py).
    # The index and its triggers go first: converting the rows fires nothing.
    from copyhound.store.search import create_contentless_search

    create_contentless_search(db)
    _pack_column(db, "text")


SCHEMA_VERSION = len(migrations._migrations)


# `copyhound ingest` and `hunt` (issue 12) keep which archive records they
# stored, so a killed ingest restarted with the same command skips them. A
# set of its own, applied only by those commands: a crawl's database does not
# carry the table (on the full-disk test's 400 KB tmpfs, one more migration
# in every database left no room for the first group of pages).
warc_migrations = Migrations("copyhound-warc")


@warc_migrations()
def w001_warc_records(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS warc_records (
            record_key TEXT PRIMARY KEY,   -- WARC-Record-ID, or file:offset (ARC)
            source TEXT NOT NULL,
            offset INTEGER NOT NULL,
            url TEXT NOT NULL,
            run_id INTEGER NOT NULL
        ) WITHOUT ROWID;
        """
    )

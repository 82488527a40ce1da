"""The crawl's stages after fetching, each sequencing pure `dedupe` calls with `store` writes.

`page_sink` extracts and stores each fetched page; `chrome_pass` learns and
strips site chrome per host; `cluster_pass` signs, matches and rebuilds clusters.
"""

"""copyhound on Apache Spark: the same pure `dedupe` functions, run over WARC files.

`records` turns one WARC record into stored-page facts (pure), `chrome` and
`components` hold the per-host and per-component steps (pure), `job` wires
them into a Spark job, `output` names the Parquet tables it writes. PySpark
is only imported by `job` and `session` (the optional `copyhound[spark]` extra).
"""

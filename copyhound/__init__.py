"""copyhound: wires `crawler`, `dedupe` and `store` into the CLI, the pipeline and the reports."""

__version__ = "0.1.0"

"""Renderers: the report dict of `copyhound.report` in each output format."""

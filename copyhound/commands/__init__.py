"""One module per CLI command beyond argument parsing: options in, pipeline or report called, summary out."""

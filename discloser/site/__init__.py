"""The transparency site: a plain mkdocs project generated from the declarations, then built."""

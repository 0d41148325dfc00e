"""Reading declarations: which files, and their YAML with source positions."""

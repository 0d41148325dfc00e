"""Allow ``python -m discloser``."""

from discloser.cli import main

main()

"""The project's exception types.

Library code raises these and never prints; the CLI maps them to messages and exit codes, so a
pipeline sees one located line instead of a traceback.
"""

from __future__ import annotations


class DiscloserError(Exception):
    """Base of every error discloser raises on purpose."""

    exit_code = 2


class UsageError(DiscloserError):
    """The command cannot run: a missing path, an unreadable file, a refused output folder."""

    exit_code = 2


class ConfigError(DiscloserError):
    """``[tool.discloser]`` or ``discloser.toml`` is malformed.

    Refused rather than half-applied: the run would not mean what the file says.
    """

    exit_code = 2


class LocatedError(DiscloserError):
    """A problem in a declaration's bytes, with the place a person must look to fix it.

    Loading stops at the first of these in a file, because what follows cannot be trusted; the
    validator turns it into a finding so it reaches every report format like any rule's.
    """

    exit_code = 1

    def __init__(self, code: str, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line
        self.column = column

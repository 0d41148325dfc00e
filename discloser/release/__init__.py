"""Releasing notices: what changed between versions, and the ledger of what was published."""

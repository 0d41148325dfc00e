"""Turning declarations into what people read; only imported by commands that render."""

"""Validation rules, one module per theme; see :mod:`discloser.rules.registry`."""

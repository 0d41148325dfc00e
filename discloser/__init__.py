"""discloser: declare what a feature does with people's photos, and publish it honestly."""

__version__ = "0.1.0"

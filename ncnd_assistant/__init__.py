"""NCND Assistant: decision support for "neither confirm nor deny" FOI responses."""

__version__ = "0.1.0"

"""Veil, a layer-mask photo editor."""

__version__ = "0.1.0"

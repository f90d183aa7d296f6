"""Dialogs of the editor window."""

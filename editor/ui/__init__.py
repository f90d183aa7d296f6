"""editor.ui"""

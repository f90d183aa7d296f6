"""editor.paint"""

"""editor.io"""

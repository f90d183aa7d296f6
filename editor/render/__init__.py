"""editor.render"""

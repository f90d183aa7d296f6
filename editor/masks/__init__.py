"""editor.masks"""

"""Selections: shapes, the magic wand, the magnetic lasso, Select-menu operations, quick mask.

Everything here works on the document model without Qt; the tools in
editor/ui/tools/ drive it. Document-level operations (one undo step each)
are in `ops`; the array-level building blocks in `shapes`, `modify`,
`wand` and `scissors`.
"""

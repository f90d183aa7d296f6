"""Selections: shapes, the magic wand, the magnetic lasso, Select-menu operations, quick mask.

Everything here works on the document model without Qt; the tools in
editor/ui/tools/ drive it. Document-level operations (one undo step each)
are in `ops`; the array-level building blocks in `shapes`, `modify`,
`wand` and `scissors`.
"""


def warm_up() -> None:
    """Compile the numba kernels (rasteriser, wand) on tiny inputs; call it from a background thread."""
    from . import wand
    from .shapes import polygons_coverage

    polygons_coverage(8, 8, [[(1, 1), (6, 1), (3, 6)]])
    polygons_coverage(8, 8, [[(1, 1), (6, 1), (3, 6)]], antialias=False)
    wand.warm_up()

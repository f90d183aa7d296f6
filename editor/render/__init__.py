"""editor.render: the compositor (blend modes, masks, groups, clipping), its caches and mipmaps."""

from .compositor import flatten_rgba, render, render_float
from .pixels import premultiplied_bgra, to_straight_rgba

__all__ = ["flatten_rgba", "premultiplied_bgra", "render", "render_float", "to_straight_rgba"]

"""editor.render: the compositor (blend modes, masks, groups, clipping), its caches and mipmaps."""

from .compositor import flatten_rgba, render, render_float, warm_up
from .mipmap import MipmapPyramid
from .pixels import premultiplied_bgra, to_straight_rgba
from .renderer import Renderer

__all__ = [
    "MipmapPyramid", "Renderer", "flatten_rgba", "premultiplied_bgra", "render", "render_float", "to_straight_rgba",
    "warm_up",
]

import numpy as np

from editor.masks.chroma import ChromaKeyParams, chroma_key
from editor.masks.warmup import warm_up


def test_warm_up_compiles_and_leaves_the_kernels_usable():
    warm_up()
    pixels = np.zeros((4, 4, 4), np.uint8)
    pixels[..., 1] = 255
    pixels[..., 3] = 255
    pixels[0, 0] = (200, 30, 40, 255)  # a red foreground pixel on green
    alpha = chroma_key(pixels, ChromaKeyParams())
    assert alpha[0, 0] == 255 and alpha[1, 1] == 0


def test_warm_up_loads_pymatting_so_the_first_refine_edge_does_not_compile():
    import sys

    from editor.masks.refine import decontaminate_colours, matte_band

    warm_up()
    assert "pymatting.alpha.estimate_alpha_cf" in sys.modules
    # Only the two solvers: pymatting's other methods would compile five times the kernels.
    assert "pymatting.alpha.estimate_alpha_sm" not in sys.modules
    rgb = np.zeros((24, 24, 3), np.uint8)
    rgb[:, 12:] = 255
    tri = np.full((24, 24), 0.5, np.float32)
    tri[:, :4], tri[:, 20:] = 0.0, 1.0
    alpha = matte_band(rgb, tri)
    assert alpha[:, :4].max() == 0 and alpha[:, 20:].min() == 1
    colours = decontaminate_colours(rgb, (alpha * 255).astype(np.uint8))
    assert colours.shape == rgb.shape and np.array_equal(colours[:, 20:], rgb[:, 20:])

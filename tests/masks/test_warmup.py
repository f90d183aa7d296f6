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

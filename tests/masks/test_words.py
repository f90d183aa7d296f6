import numpy as np
import pytest

from editor.masks.words import as_words, word_channel


@pytest.mark.parametrize("channels", [3, 4])
def test_word_channel_reads_each_channel_of_the_pixel(channels):
    rng = np.random.default_rng(channels)
    pixels = rng.integers(0, 256, (7, 9, channels), np.uint8)
    words = as_words(pixels)
    for c in range(3):
        read = np.array([[word_channel(v, c) for v in row] for row in words])
        assert np.array_equal(read, pixels[..., c])

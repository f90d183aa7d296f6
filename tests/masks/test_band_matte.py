"""Band matting: the chroma key's soft band re-estimated against the plate and the subject beside it."""

import numpy as np
import pytest

from editor.masks.chroma import ChromaKeyParams, chroma_key
from tests.masks.scenes import edge_band, sad
from tests.masks.scenes_keying import keying_scene


def _edge_scene(key: str, spill: float, noise: float = 0.0, seed: int = 0):
    """A flat subject whose edge is a linear blend 8 px wide into a flat screen; the subject carries
    the screen's spill in the key channel (so the key alone reads its edge as part screen)."""
    rng = np.random.default_rng(seed)
    h, w = 200, 300
    channel = 1 if key == "green" else 2
    screen = np.array([40, 180, 70] if key == "green" else [30, 70, 190], np.float32)
    subject = np.array([120, 90, 60], np.float32)
    subject[channel] += spill
    alpha = np.clip((np.arange(w, dtype=np.float32) - 150) / 8.0, 0, 1)[None, :].repeat(h, 0)
    rgb = alpha[..., None] * subject + (1 - alpha[..., None]) * screen + rng.normal(0, noise, (h, w, 3))
    image = np.dstack([np.clip(rgb + 0.5, 0, 255).astype(np.uint8), np.full((h, w), 255, np.uint8)])
    return image, alpha


@pytest.mark.parametrize("key", ["green", "blue"])
def test_a_spill_cast_edge_is_unmixed_against_the_subject_beside_it(key):
    image, alpha = _edge_scene(key, spill=60)
    plain = chroma_key(image, ChromaKeyParams(key=key)) / 255.0
    matted = chroma_key(image, ChromaKeyParams(key=key, band_matting=True)) / 255.0
    ramp = (alpha > 0.4) & (alpha < 0.95)  # within band_matte.REACH of the opaque subject
    assert (plain - alpha)[ramp].mean() < -0.07  # the key reads the spill as screen: the edge comes out low
    assert np.abs(matted - alpha)[ramp].mean() < 0.02  # the matte puts it back on the line
    noisy, _ = _edge_scene(key, spill=60, noise=4.0)
    err = np.abs(chroma_key(noisy, ChromaKeyParams(key=key, band_matting=True)) / 255.0 - alpha)[ramp].mean()
    assert err < 0.5 * np.abs(chroma_key(noisy, ChromaKeyParams(key=key)) / 255.0 - alpha)[ramp].mean()


def test_band_matting_only_changes_the_soft_band_and_is_off_by_default():
    s = keying_scene(300, 450, 0, "green")
    assert ChromaKeyParams().band_matting is False
    plain = chroma_key(s.image, ChromaKeyParams())
    matted = chroma_key(s.image, ChromaKeyParams(band_matting=True))
    changed = plain != matted
    assert changed.any()
    assert ((plain[changed] > 3) & (plain[changed] < 252)).all()


@pytest.mark.parametrize("key", ["green", "blue"])
def test_band_matting_lowers_the_band_error_on_strand_scenes_under_spill(key):
    for seed in range(3):
        s = keying_scene(600, 900, seed, key, spill=40.0, hair=600 if key == "blue" else None)
        band = edge_band(s.alpha, 2)
        plain = sad(chroma_key(s.image, ChromaKeyParams(key=key)), s.alpha, band)
        matted = sad(chroma_key(s.image, ChromaKeyParams(key=key, band_matting=True)), s.alpha, band)
        assert matted < 0.97 * plain, (seed, plain, matted)


def test_band_matting_round_trips_through_the_params():
    params = ChromaKeyParams(key="blue", band_matting=True)
    assert ChromaKeyParams.from_dict(params.to_dict()) == params

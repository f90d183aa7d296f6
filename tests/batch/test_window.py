"""Running the steps after the mask on the subject's window instead of the whole frame
(steps.subject_window) writes the same files, byte for byte, as the whole frame does."""

from pathlib import Path

import numpy as np
import pytest

from editor.batch import parse_recipe, steps
from editor.batch.steps import process_image, read_shot, run_mask, subject_window
from tests.batch.shots import cutout_shot, green_screen_shot

PRODUCT = ('[mask]\ngenerator = "chroma-key"\nname = "product"\n[refine]\nradius = 4\n[despill]\n'
           '[background]\ntype = "colour"\ncolour = "#ffffff"\n[trim]\nmargin = "5%"\n'
           '[fit]\nwidth = 400\nheight = 400\n[[export]]\nformat = "jpeg"\nquality = 90\n'
           '[[export]]\nformat = "png"\n[outputs]\nmask = true\n')
SOFT = ('[mask]\ngenerator = "alpha"\n[refine]\nradius = 6\nsmooth = 1.5\nfeather = 2.0\nshift_edge = 0.5\n'
        'decontaminate = true\n[despill]\nkey = "green"\n[background]\ntype = "blur"\nblur = 8\n'
        '[trim]\nmargin = 30\n[[export]]\nformat = "png"\n[outputs]\nmask = true\n')
TRANSPARENT = '[mask]\ngenerator = "alpha"\n[despill]\n[trim]\nmargin = "40%"\n[[export]]\nformat = "png"\n'


def _outputs(folder: Path, result) -> dict[str, bytes]:
    return {Path(p).name: Path(p).read_bytes() for p in result.outputs}


@pytest.mark.parametrize("recipe, make", [(PRODUCT, green_screen_shot), (SOFT, cutout_shot),
                                          (TRANSPARENT, cutout_shot)])
def test_the_subjects_window_writes_what_the_whole_frame_writes(tmp_path, monkeypatch, recipe, make):
    # Big enough for the window to be a part of the frame (refine's tiles are 192 px).
    shot = make(tmp_path, "shot.jpg" if make is green_screen_shot else "shot.png", h=1000, w=1400, seed=4)
    recipe = parse_recipe(recipe)
    probe = read_shot(shot.path)
    run_mask(probe, recipe.get("mask"))
    window = subject_window(probe, recipe)
    assert window is not None and window.w * window.h < 0.7 * 1000 * 1400
    windowed = process_image(shot.path, tmp_path / "window", recipe)
    monkeypatch.setattr(steps, "subject_window", lambda shot, recipe: None)
    whole = process_image(shot.path, tmp_path / "whole", recipe)
    assert windowed.size == whole.size and windowed.uncertainty == whole.uncertainty
    assert _outputs(tmp_path / "window", windowed) == _outputs(tmp_path / "whole", whole)


def test_no_window_without_a_trim_with_geometry_or_an_empty_mask(tmp_path):
    shot = cutout_shot(tmp_path, "shot.png", h=1000, w=1400, seed=4)
    probe = read_shot(shot.path)
    run_mask(probe, {"generator": "alpha", "name": "subject"})
    no_trim = parse_recipe('[mask]\ngenerator = "alpha"\n[fit]\nwidth = 50\nheight = 50\n[[export]]\nformat = "png"\n')
    geometry = parse_recipe('[mask]\ngenerator = "alpha"\n[[geometry]]\nop = "flip-canvas"\ndirection = "horizontal"\n'
                            '[trim]\nmargin = 3\n[[export]]\nformat = "png"\n')
    assert subject_window(probe, no_trim) is None and subject_window(probe, geometry) is None
    probe.mask = np.zeros_like(probe.mask)
    assert subject_window(probe, parse_recipe(TRANSPARENT)) is None


def test_a_shot_owns_its_pixels_without_a_second_copy(tmp_path):
    """The colour steps change a shot's pixels in place: each read is the shot's own writable array."""
    shot = green_screen_shot(tmp_path, "shot.png")
    first, second = read_shot(shot.path), read_shot(shot.path)
    assert first.pixels.flags.writeable and first.pixels.flags.owndata and first.pixels.flags.c_contiguous
    first.pixels[:] = 0
    np.testing.assert_array_equal(second.pixels[..., :3], shot.rgb)


@pytest.mark.parametrize("colour", [(255, 255, 255), (250, 251, 252), (12, 200, 77)])
def test_the_colour_background_in_one_pass_is_the_renderers_composite(colour):
    """over_colour on the flattened subject is within one level of rendering the fill layer
    under the masked subject (and opaque), for every alpha and colour."""
    from editor.batch.compose import over_colour
    from editor.core import Document, FillLayer, Layer, Mask
    from editor.render import flatten_rgba

    rng = np.random.default_rng(sum(colour))
    h, w = 64, 256
    pixels = rng.integers(0, 256, (h, w, 4), dtype=np.uint8)
    pixels[..., 3] = 255
    mask = np.tile(np.arange(256, dtype=np.uint8), (h, 1))  # every alpha
    mask[h // 2:] = rng.integers(0, 256, (h - h // 2, w), dtype=np.uint8)
    doc = Document(w, h, history_budget=0)
    doc.root.insert(0, Layer("subject", pixels, mask=Mask(mask)))
    fast = over_colour(flatten_rgba(doc), colour)
    doc.root.insert(0, FillLayer("background", (*colour, 255)))
    rendered = flatten_rgba(doc)
    assert (fast[..., 3] == 255).all() and (rendered[..., 3] == 255).all()
    diff = np.abs(fast.astype(int) - rendered.astype(int))
    assert diff.max() <= 1 and (diff > 0).mean() < 0.01

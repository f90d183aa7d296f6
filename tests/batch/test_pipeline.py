"""One recipe on synthetic product shots with a known alpha: framing, margins, backgrounds,
exports and the extra outputs, checked to the pixel."""

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from editor.batch import parse_recipe
from editor.batch.steps import process_image
from tests.batch.shots import box_of, cutout_shot, green_screen_shot, read_rgba


def run(text: str, src: Path, out: Path):
    return process_image(src, out, parse_recipe(text))


def test_trim_margin_is_exact_to_the_pixel_and_png_alpha_is_the_mask(tmp_path):
    shot = cutout_shot(tmp_path, "cut.png", seed=1)
    result = run('[mask]\ngenerator = "alpha"\n[trim]\nmargin = 7\n[[export]]\nformat = "png"\n'
                 '[outputs]\nmask = true\n', shot.path, tmp_path / "out")
    x, y, w, h = shot.box
    rgba = read_rgba(tmp_path / "out" / "cut.png")
    assert rgba.shape == (h + 14, w + 14, 4)
    want = np.zeros((h + 14, w + 14), np.uint8)
    want[7:-7, 7:-7] = shot.alpha[y:y + h, x:x + w]
    np.testing.assert_array_equal(rgba[..., 3], want)
    np.testing.assert_array_equal(read_rgba(tmp_path / "out" / "cut.mask.png"), want)
    shown = want > 0
    np.testing.assert_array_equal(rgba[..., :3][shown], shot.rgb[y:y + h, x:x + w][shown[7:-7, 7:-7]])
    assert result.size == (w + 14, h + 14) and result.uncertainty == 0.0


def test_a_percentage_margin_is_of_the_subjects_long_side(tmp_path):
    shot = cutout_shot(tmp_path, "cut.png", seed=2)
    run('[mask]\ngenerator = "alpha"\n[trim]\nmargin = "10%"\n[[export]]\nformat = "png"\n', shot.path, tmp_path)
    _, _, w, h = shot.box
    m = round(0.1 * max(w, h))
    alpha = read_rgba(tmp_path / "cut.png")[..., 3]
    assert alpha.shape == (h + 2 * m, w + 2 * m) and box_of(alpha) == (m, m, w, h)


@pytest.mark.parametrize("seed", [0, 3])
def test_chroma_key_framed_centred_on_an_exact_white_canvas(tmp_path, seed):
    """The full product recipe: the subject is centred on the canvas with the margin the recipe
    asks for (scaled with it), the background is exactly the colour, the key is despilled."""
    shot = green_screen_shot(tmp_path, "shot.png", seed=seed)
    recipe = ('[mask]\ngenerator = "chroma-key"\n[despill]\n[background]\ntype = "colour"\ncolour = "#fafbfc"\n'
              '[trim]\nmargin = 10\n[fit]\nwidth = 300\nheight = 300\nresample = "nearest"\n'
              '[[export]]\nformat = "png"\nicc = false\n[outputs]\nmask = true\n')
    run(recipe, shot.path, tmp_path / "out")
    rgba = read_rgba(tmp_path / "out" / "shot.png")
    alpha = read_rgba(tmp_path / "out" / "shot.mask.png")
    assert rgba.shape == (300, 300, 4) and (rgba[..., 3] == 255).all()
    x, y, w, h = box_of(alpha)
    _, _, bw, bh = shot.box
    scale = 300 / (max(bw, bh) + 20)
    assert abs(x - (300 - x - w)) <= 1 and abs(y - (300 - y - h)) <= 1  # centred
    assert min(x, y) == round(10 * scale) or min(x, y) == int(10 * scale)  # the margin, scaled onto the canvas
    bg = alpha == 0
    assert (rgba[bg][:, :3] == (250, 251, 252)).all()
    body = rgba[alpha == 255][:, :3].astype(int)
    assert (body[:, 1] <= np.maximum(body[:, 0], body[:, 2])).all()  # no green left on the product


def test_fill_mode_covers_the_canvas_and_resize_follows(tmp_path):
    shot = cutout_shot(tmp_path, "cut.png", seed=4)
    run('[mask]\ngenerator = "alpha"\n[trim]\n[fit]\nwidth = 50\nheight = 50\nmode = "fill"\n'
        '[resize]\nwidth = 20\n[[export]]\nformat = "png"\n', shot.path, tmp_path)
    alpha = read_rgba(tmp_path / "cut.png")[..., 3]
    assert alpha.shape == (20, 20)
    assert alpha[:, 10].min() > 0  # the subject's narrow side fills the canvas top to bottom (cropped, not padded)


def test_pad_with_an_anchor_and_no_upscale(tmp_path):
    shot = cutout_shot(tmp_path, "cut.png", seed=5)
    run('[mask]\ngenerator = "alpha"\n[trim]\n[fit]\nwidth = 400\nheight = 300\nanchor = "bottom-left"\n'
        'upscale = false\n[[export]]\nformat = "png"\n', shot.path, tmp_path)
    alpha = read_rgba(tmp_path / "cut.png")[..., 3]
    _, _, w, h = shot.box
    assert alpha.shape == (300, 400) and box_of(alpha) == (0, 300 - h, w, h)


def test_backgrounds_image_cover_and_blurred_original(tmp_path):
    shot = green_screen_shot(tmp_path, "shot.png", seed=6)
    backdrop = np.zeros((10, 40, 3), np.uint8)
    backdrop[:, :20] = (0, 0, 255)
    backdrop[:, 20:] = (255, 255, 0)
    Image.fromarray(backdrop).save(tmp_path / "backdrop.png")
    recipe = parse_recipe('[mask]\ngenerator = "chroma-key"\n[background]\ntype = "image"\nimage = "backdrop.png"\n'
                          '[[export]]\nformat = "png"\n', base=tmp_path)
    process_image(shot.path, tmp_path / "a", recipe)
    rgba = read_rgba(tmp_path / "a" / "shot.png")
    h, w = shot.alpha.shape
    assert (rgba[..., 3] == 255).all()
    # Scaled to cover 160x120 (x12: 480x120, centred): the colour boundary is in the middle.
    assert tuple(rgba[2, 2, :3]) == (0, 0, 255) and tuple(rgba[2, w - 3, :3]) == (255, 255, 0)
    process_image(shot.path, tmp_path / "b", parse_recipe(
        '[mask]\ngenerator = "chroma-key"\n[background]\ntype = "blur"\nblur = 3\n[[export]]\nformat = "png"\n'))
    rgba = read_rgba(tmp_path / "b" / "shot.png")
    import cv2

    far = cv2.dilate(shot.alpha, np.ones((25, 25), np.uint8)) == 0
    near = (cv2.dilate(shot.alpha, np.ones((3, 3), np.uint8)) > 0) & (shot.alpha == 0)
    assert (rgba[..., 3] == 255).all() and np.abs(rgba[far][:, :3].astype(int) - (40, 175, 75)).max() <= 2
    assert rgba[near][:, 0].astype(int).mean() > 60  # the product's red blurred into the backdrop beside it


def test_export_formats_profile_metadata_and_the_layered_ora(tmp_path):
    from editor.io import open_document

    shot = green_screen_shot(tmp_path, "shot.jpg", seed=7)
    with Image.open(shot.path) as im:
        exif = im.getexif()
    exif[0x010E] = "a bottle"  # ImageDescription
    Image.open(shot.path).save(shot.path, exif=exif, quality=95)
    recipe = ('[mask]\ngenerator = "chroma-key"\nname = "bottle"\n[background]\ntype = "transparent"\n'
              '[[export]]\nformat = "jpeg"\nmetadata = "keep"\n[[export]]\nformat = "webp"\nquality = 80\n'
              '[[export]]\nformat = "tiff"\nicc = false\n[[export]]\nformat = "png"\nsuffix = "-x"\n'
              '[outputs]\nora = true\n')
    result = run(recipe, shot.path, tmp_path / "out")
    out = tmp_path / "out"
    assert sorted(Path(p).name for p in result.outputs) == ["shot-x.png", "shot.jpg", "shot.ora", "shot.tif", "shot.webp"]
    with Image.open(out / "shot.jpg") as im:
        assert im.getexif().get(0x010E) == "a bottle" and im.info.get("icc_profile")
    with Image.open(out / "shot.webp") as im:
        assert im.mode == "RGBA" and im.info.get("icc_profile")
    with Image.open(out / "shot.tif") as im:
        assert im.mode == "RGBA" and not im.info.get("icc_profile")
    with Image.open(out / "shot-x.png") as im:
        assert im.info.get("icc_profile") and not im.getexif().get(0x010E)  # stripped by default
    doc = open_document(out / "shot.ora")
    layer = doc.find_by_name("bottle")
    assert layer is not None and layer.mask is not None and layer.mask.generator["kind"] == "chroma-key"
    assert layer.mask.generator["key"] == "green"  # "auto" resolved, so Re-run in the window gives the same


def test_a_mask_file_beside_each_image_and_refine(tmp_path):
    shot = cutout_shot(tmp_path, "cut.png", seed=8)
    flat = tmp_path / "flat.png"
    Image.fromarray(shot.rgb).save(flat)
    Image.fromarray(shot.alpha).save(tmp_path / "flat.mask.png")
    run('[mask]\ngenerator = "file"\n[[export]]\nformat = "png"\n', flat, tmp_path / "out")
    np.testing.assert_array_equal(read_rgba(tmp_path / "out" / "flat.png")[..., 3], shot.alpha)
    result = run('[mask]\ngenerator = "file"\n[refine]\nradius = 3\nfeather = 1.0\n[[export]]\nformat = "png"\n',
                 flat, tmp_path / "refined")
    alpha = read_rgba(tmp_path / "refined" / "flat.png")[..., 3]
    assert 0 < result.uncertainty < 1 and np.abs(alpha.astype(int) - shot.alpha).mean() < 20
    with pytest.raises(Exception, match="no mask file beside the image"):
        run('[mask]\ngenerator = "file"\n[[export]]\nformat = "png"\n', shot.path, tmp_path / "none")
    assert not (tmp_path / "none" / "cut.png").exists()

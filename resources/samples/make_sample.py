"""Build resources/samples/sample.ora, the project `make run` opens, from the photos beside it.

It shows what Veil does at first sight: a colour fill layer as the backdrop, a
photo with a hand-painted (soft brush) mask, a clip group (a warm gradient
clipped to the cat), a layer in Screen mode with a gradient mask, a group, and
a hidden layer.

    .venv/bin/python resources/samples/make_sample.py
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from editor.core import BlendMode, Document, FillLayer, Group, Layer, Mask
from editor.io import save_document

HERE = Path(__file__).resolve().parent
PHOTOS = HERE / "photos"
WIDTH, HEIGHT = 1200, 800


def photo(name: str, scale: float) -> np.ndarray:
    """An RGBA photo from photos/, resized by `scale`."""
    bgr = cv2.imread(str(PHOTOS / name), cv2.IMREAD_COLOR)
    if bgr is None:
        raise FileNotFoundError(PHOTOS / name)
    bgr = cv2.resize(bgr, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA)
    rgba = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGBA)
    return rgba


def painted_mask(h: int, w: int, strokes: list[list[tuple[float, float]]], radius: float, hardness: float = 0.2) -> np.ndarray:
    """A mask painted white on black with a soft round brush along polylines (dabs every radius/4)."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    coverage = np.zeros((h, w), np.float32)
    for stroke in strokes:
        for (x0, y0), (x1, y1) in zip(stroke, stroke[1:], strict=False):
            steps = max(1, int(np.hypot(x1 - x0, y1 - y0) / (radius / 4)))
            for t in np.linspace(0, 1, steps, endpoint=False):
                cx, cy = x0 + (x1 - x0) * t, y0 + (y1 - y0) * t
                d = np.hypot(xx - cx, yy - cy) / radius
                dab = np.clip((1 - d) / (1 - hardness), 0, 1) ** 2
                coverage = 1 - (1 - coverage) * (1 - 0.35 * dab)  # flow 35%, builds up
    return np.clip(coverage * 255 + 0.5, 0, 255).astype(np.uint8)


def gradient(h: int, w: int, start: tuple[int, int, int, int], end: tuple[int, int, int, int], angle_deg: float) -> np.ndarray:
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    a = np.deg2rad(angle_deg)
    t = (xx * np.cos(a) + yy * np.sin(a))
    t = (t - t.min()) / max(1e-6, t.max() - t.min())
    s, e = np.array(start, np.float32), np.array(end, np.float32)
    return np.clip(s + (e - s) * t[..., None] + 0.5, 0, 255).astype(np.uint8)


def build() -> Document:
    doc = Document(WIDTH, HEIGHT, resolution=72)
    root = doc.root

    backdrop = FillLayer("Backdrop", (24, 28, 40, 255))
    root.insert(len(root.children), backdrop)

    coffee = Layer("Coffee", photo("coffee.png", 2.0))
    # Reveal the cup, fade out towards the left edge where the cat goes.
    coffee_mask = painted_mask(HEIGHT, WIDTH, [[(1150, 120), (900, 260), (760, 430), (900, 640), (1150, 700)],
                                               [(1100, 400), (950, 420)]], radius=260)
    coffee.mask = Mask(coffee_mask)
    root.insert(len(root.children), coffee)

    cat_pixels = photo("chelsea.png", 1.45)
    ch, cw = cat_pixels.shape[:2]
    cat = Layer("Chelsea", cat_pixels, offset=(40, HEIGHT - ch - 60))
    cat.mask = Mask(painted_mask(ch, cw, [[(220, 130), (330, 170), (420, 240), (380, 300)],
                                          [(260, 270), (460, 280)], [(180, 230), (300, 300)]], radius=120, hardness=0.35),
                    feather=2.0)
    warm = Layer("Warm light", gradient(ch, cw, (255, 170, 60, 210), (120, 40, 160, 0), 35.0),
                 offset=cat.offset, blend_mode=BlendMode.SOFT_LIGHT, clipped=True)
    portrait = Group("Portrait", [cat, warm])
    root.insert(len(root.children), portrait)

    stars = Layer("Deep field", photo("hubble_deep_field.jpg", 1.2)[:HEIGHT, :WIDTH].copy(),
                  blend_mode=BlendMode.SCREEN, opacity=0.85)
    sh, sw = stars.pixels.shape[:2]
    fade = gradient(sh, sw, (255, 255, 255, 255), (0, 0, 0, 0), 70.0)[..., 0].astype(np.float32) / 255
    stars.mask = Mask(np.clip(fade**2.2 * 255 + 0.5, 0, 255).astype(np.uint8))
    root.insert(len(root.children), stars)

    vignette = Layer("Vignette", _vignette(), blend_mode=BlendMode.MULTIPLY, opacity=0.6, visible=False)
    root.insert(len(root.children), vignette)

    doc.active = cat
    return doc


def _vignette() -> np.ndarray:
    yy, xx = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
    d = np.hypot((xx - WIDTH / 2) / (WIDTH / 2), (yy - HEIGHT / 2) / (HEIGHT / 2)) / np.sqrt(2)
    out = np.zeros((HEIGHT, WIDTH, 4), np.uint8)
    out[..., 3] = np.clip(d**2 * 2 * 255, 0, 255).astype(np.uint8)
    return out


def main() -> None:
    doc = build()
    save_document(doc, HERE / "sample.ora")
    print(f"wrote {HERE / 'sample.ora'} ({(HERE / 'sample.ora').stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()

"""What a user would otherwise run on a masked-layer .ora, as a process of its own (the
baselines of bench_io's whole-process benchmarks, which time and weigh them like `veil`):

    python -m tests.bench.process_baselines render IN.ora OUT.png    # Pillow, one thread
    python -m tests.bench.process_baselines psd IN.ora OUT.psd       # psd-tools' own writer

Both read the stack Veil writes (an isolated stack per layer: a dst-in mask over its pixels)
with zipfile and Pillow, not with Veil.
"""

from __future__ import annotations

import io
import sys
import xml.etree.ElementTree as ET
import zipfile

from PIL import Image, ImageChops


def _layers(path: str):
    """(pixels RGBA, mask L, x, y, opacity) per masked layer, bottom first."""
    with zipfile.ZipFile(path) as zf:
        root = ET.fromstring(zf.read("stack.xml")).find("stack")
        for stack in reversed(list(root)):
            mask_e, layer_e = list(stack)
            pixels = Image.open(io.BytesIO(zf.read(layer_e.get("src")))).convert("RGBA")
            mask = Image.open(io.BytesIO(zf.read(mask_e.get("src")))).getchannel("A")
            yield pixels, mask, int(layer_e.get("x", 0)), int(layer_e.get("y", 0)), float(stack.get("opacity", 1))


def render(src: str, dst: str) -> None:
    with zipfile.ZipFile(src) as zf:
        image = ET.fromstring(zf.read("stack.xml"))
    canvas = Image.new("RGBA", (int(image.get("w")), int(image.get("h"))))
    for pixels, mask, x, y, opacity in _layers(src):
        alpha = ImageChops.multiply(pixels.getchannel("A"), mask)
        pixels.putalpha(alpha.point([round(v * opacity) for v in range(256)]))
        canvas.alpha_composite(pixels, (x, y))
    canvas.save(dst, compress_level=1)


def psd(src: str, dst: str) -> None:
    from psd_tools import PSDImage

    with zipfile.ZipFile(src) as zf:
        image = ET.fromstring(zf.read("stack.xml"))
    doc = PSDImage.new("RGBA", (int(image.get("w")), int(image.get("h"))))
    for pixels, mask, x, y, opacity in _layers(src):
        layer = doc.create_pixel_layer(pixels, top=y, left=x, opacity=round(opacity * 255))
        layer.create_mask(mask, top=y, left=x)
    doc.save(dst)


if __name__ == "__main__":
    {"render": render, "psd": psd}[sys.argv[1]](sys.argv[2], sys.argv[3])

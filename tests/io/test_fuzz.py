"""Mutated .ora, .psd, PNG and JPEG files: each opens cleanly or raises FileFormatError, fast."""

import io
import random
import re
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest

from editor.core import Document, Group, Layer, Mask
from editor.io import FileFormatError, export_image, export_psd, open_document, save_document

CASES_PER_FORMAT = {".ora": 320, ".psd": 240, ".png": 240, ".jpg": 240}
TIME_LIMIT_S = 2.0


def small_document() -> Document:
    rng = np.random.default_rng(0)
    doc = Document(24, 16)
    layer = Layer("a", rng.integers(0, 256, (10, 12, 4), dtype=np.uint8), offset=(3, 2),
                  mask=Mask(rng.integers(0, 256, (10, 12), dtype=np.uint8)))
    doc.root.insert(0, Layer("bg", np.full((16, 24, 4), 200, np.uint8)))
    doc.root.insert(1, Group("g", [layer, Layer("c", np.full((4, 4, 4), 90, np.uint8), clipped=True)]))
    return doc


def flip_bytes(data: bytes, rnd: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rnd.randint(1, 12)):
        out[rnd.randrange(len(out))] = rnd.randrange(256)
    return bytes(out)


def truncate(data: bytes, rnd: random.Random) -> bytes:
    return data[: rnd.randrange(len(data))]


def edit_xml(data: bytes, rnd: random.Random) -> bytes:
    """Rewrite stack.xml: numbers changed, attributes dropped or duplicated, members renamed or removed."""
    src = zipfile.ZipFile(io.BytesIO(data))
    members = {i.filename: src.read(i) for i in src.infolist()}
    xml = members["stack.xml"].decode()
    choice = rnd.randrange(6)
    if choice == 0:
        xml = re.sub(r'"-?\d+(\.\d+)?"', lambda m: f'"{rnd.choice(["-1", "0", "1e9", "nan", "99999999", "x"])}"'
                     if rnd.random() < 0.3 else m.group(0), xml)
    elif choice == 1:
        xml = re.sub(r' [\w:-]+="[^"]*"', lambda m: "" if rnd.random() < 0.3 else m.group(0), xml)
    elif choice == 2:
        srcs = re.findall(r'src="([^"]+)"', xml)
        xml = xml.replace(rnd.choice(srcs), rnd.choice(srcs + ["../x.png", "/abs.png", "data/none.png"]))
    elif choice == 3:
        del members[rnd.choice(sorted(members))]
    elif choice == 4:
        cut = rnd.randrange(len(xml))
        xml = xml[:cut] + rnd.choice(["<", ">", "&", "<stack>", "</layer>", "\x00"]) + xml[cut:]
    else:
        name = rnd.choice(sorted(members))
        members[rnd.choice(["../" + name, name.upper(), "data/extra.png"])] = members.pop(name)
    members["stack.xml"] = xml.encode("utf-8", "replace")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, body in members.items():
            zf.writestr(name, body)
    return out.getvalue()


@pytest.fixture(scope="module")
def originals(tmp_path_factory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("originals")
    doc = small_document()
    save_document(doc, folder / "a.ora")
    export_psd(doc, folder / "a.psd")
    export_image(doc, folder / "a.png")
    export_image(doc, folder / "a.jpg")
    return {ext: (folder / f"a{ext}").read_bytes() for ext in CASES_PER_FORMAT}


@pytest.mark.parametrize("ext", list(CASES_PER_FORMAT))
def test_mutated_files_fail_cleanly(tmp_path, originals, ext):
    rnd = random.Random(f"veil-fuzz{ext}")
    mutations = [flip_bytes, truncate] + ([edit_xml, edit_xml] if ext == ".ora" else [])
    outcomes = {"opened": 0, "refused": 0}
    for i in range(CASES_PER_FORMAT[ext]):
        mutate = mutations[i % len(mutations)]
        path = Path(tmp_path) / f"case{i}{ext}"
        path.write_bytes(mutate(originals[ext], rnd))
        start = time.process_time()  # CPU, not wall: a runaway parse, not a busy machine
        try:
            open_document(path)
            outcomes["opened"] += 1
        except FileFormatError:
            outcomes["refused"] += 1
        elapsed = time.process_time() - start
        assert elapsed < TIME_LIMIT_S, f"{path.name} ({mutate.__name__}) took {elapsed:.2f} s"
        path.unlink()
    assert outcomes["refused"] > CASES_PER_FORMAT[ext] // 4  # the mutations really broke files
    assert sum(outcomes.values()) == CASES_PER_FORMAT[ext]

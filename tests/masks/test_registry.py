"""The mask generators on the one operation registry: registered once, validated by their
schemas, run as operations, despilled by one function, and `veil mask` built from them."""

import numpy as np
import pytest

from editor.core.operations import REGISTRY, ParamError


def test_every_mask_generator_is_registered_once_with_its_schema():
    from editor.masks.generators import generate, generator_op, mask_generators

    ids = [op.id for op in mask_generators()]
    assert ids == ["color-range", "chroma-key", "object", "model-subject", "model-object", "refine-edge", "luminance"]
    assert all(REGISTRY.get(i).category == "mask" for i in ids)
    assert {op.id for op in mask_generators() if op.slow} == {"object", "model-subject", "model-object", "refine-edge"}
    with pytest.raises(ValueError, match="unknown mask generator 'sky'"):
        generate(np.zeros((4, 4, 4), np.uint8), {"kind": "sky"})
    chroma = generator_op("chroma-key")
    with pytest.raises(ParamError, match="key: key colour #808080 is too close to grey"):
        chroma.validate({"key": "#808080"})
    with pytest.raises(ParamError, match="kind: is 'object', not 'chroma-key'"):
        chroma.validate({"kind": "object"})
    with pytest.raises(ParamError, match="object select needs a rect"):
        generator_op("object").validate({})


def test_running_a_generator_operation_masks_the_active_layer_in_one_step():
    from editor.core import Document, Layer
    from editor.core.ops import add_node
    from editor.masks.generators import generator_op

    pixels = np.zeros((20, 30, 4), np.uint8)
    pixels[..., 3] = 255
    pixels[5:15, 10:20, :3] = 250  # a bright square
    doc = Document(30, 20)
    layer = Layer("shot", pixels)
    add_node(doc, layer)
    mask = generator_op("luminance")(doc, {"threshold": 128, "softness": 0})
    assert mask is layer.mask and mask.generator["kind"] == "luminance"
    assert (mask.data[5:15, 10:20] == 255).all() and mask.data.sum() == 255 * 100
    doc.undo()
    assert layer.mask is None


def test_despill_is_one_function_for_every_caller():
    from editor.masks.chroma import despill
    from editor.masks.generators import despill_for

    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, (16, 16, 4), dtype=np.uint8)
    assert despill_for(pixels, {"kind": "chroma-key", "despill": False}) is None
    want = despill(pixels, "blue", "average")
    got = despill_for(pixels, {"kind": "chroma-key", "key": "blue", "despill": True, "despill_mode": "average"})
    np.testing.assert_array_equal(got, want)
    # A batch step's own despill (no generator kind) and the in-place form.
    copy = pixels.copy()
    assert despill_for(copy, {"key": "blue", "despill_mode": "average"}, out=copy) is copy
    np.testing.assert_array_equal(copy, want)


def test_veil_mask_flags_come_from_the_schemas(tmp_path, capsys):
    """A generator registered with a CLI entry is a `veil mask` subcommand with its schema's flags
    (luminance was never hand-wired into the command line), and flag errors name the flag."""
    import cv2

    from editor.cli import main

    pixels = np.zeros((20, 30, 3), np.uint8)
    pixels[5:15, 10:20] = 250
    src = tmp_path / "in.png"
    cv2.imwrite(str(src), pixels)
    out = tmp_path / "mask.png"
    assert main(["mask", "luminance", str(src), "--out", str(out), "--threshold", "100", "--softness", "0"]) == 0
    mask = cv2.imread(str(out), cv2.IMREAD_UNCHANGED)
    assert (mask[5:15, 10:20] == 255).all() and mask.sum() == 255 * 100
    with pytest.raises(SystemExit) as e:
        main(["mask", "chroma-key", str(src), "--out", str(out), "--tolerance", "1.5"])
    assert e.value.code == 2
    assert "--tolerance: must be float in [0, 1), not '1.5'" in capsys.readouterr().err

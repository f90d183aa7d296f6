"""Segmentation models: each family's pre/post-processing, the registry, prompts and their frames."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("onnxruntime")

from editor.masks.models import (  # noqa: E402
    ADD,
    REMOVE,
    SALIENT_FAMILIES,
    ModelError,
    ObjectParams,
    SubjectParams,
    decode,
    embed,
    resolve,
    scan,
    select_object,
    select_subject,
)
from editor.masks.models.segment import postprocess, preprocess  # noqa: E402

from .onnx_models import reference_salient, salient, sam_pair  # noqa: E402


def _photo(h=90, w=120, seed=0):
    rng = np.random.default_rng(seed)
    base = np.zeros((h, w, 3), np.float64)
    yy, xx = np.mgrid[0:h, 0:w]
    base[..., 0] = 40 + 150 * xx / w
    base[..., 1] = 30 + 120 * yy / h
    base[..., 2] = 200 - 100 * ((xx - w / 2) ** 2 + (yy - h / 2) ** 2 < (min(h, w) / 3) ** 2)
    return np.clip(base + rng.normal(0, 6, base.shape), 0, 250).astype(np.uint8)


@pytest.mark.parametrize("name", sorted(SALIENT_FAMILIES))
def test_each_family_processes_as_its_authors_define(name, model_home):
    family = SALIENT_FAMILIES[name]
    salient(model_home / f"{name}.onnx", family.size, extra_outputs=2)
    rgb = _photo()
    got = select_subject(rgb, SubjectParams(name, refine=False, filters="lanczos"))
    want = reference_salient(rgb, family.size, family.mean, family.std, sigmoid=family.sigmoid)
    # Veil rounds the final float mask, rembg truncates once more on its way out: at most one level.
    assert np.abs(got.astype(int) - want).max() <= 1


def test_the_fast_filters_stay_close_to_rembgs(model_home):
    salient(model_home / "u2net.onnx", 320)
    rgb = _photo(400, 600)
    fast = select_subject(rgb, SubjectParams("u2net", refine=False)).astype(int)
    exact = select_subject(rgb, SubjectParams("u2net", refine=False, filters="lanczos")).astype(int)
    # Lanczos keeps more of the sensor noise than the area filter, and min-max stretches it: a few levels.
    assert np.abs(fast - exact).mean() < 6


def test_normalisation_divides_by_the_images_own_maximum():
    family = SALIENT_FAMILIES["isnet-general-use"]
    rgb = np.full((8, 8, 3), 100, np.uint8)
    rgb[0, 0] = (200, 50, 25)
    x = preprocess(rgb, family)
    assert x.shape == (1, 3, 1024, 1024) and x.dtype == np.float32
    # isnet: mean 0.485/0.456/0.406, std 1; the brightest value maps to 1.
    assert x[0, 0].max() == pytest.approx(1 - 0.485, abs=0.02)


def test_birefnet_applies_a_sigmoid_before_min_max():
    family = SALIENT_FAMILIES["birefnet-general"]
    logits = np.array([[[[-4.0, 0.0], [4.0, 8.0]]]], np.float32)
    got = postprocess(logits, family, (2, 2))
    s = 1 / (1 + np.exp(-logits[0, 0].astype(np.float64)))
    want = np.floor((s - s.min()) / (s.max() - s.min()) * 255) / 255
    assert np.allclose(got, want, atol=1 / 255 + 1e-6)


def test_a_file_with_the_wrong_input_size_is_refused_naming_what_was_expected(model_home):
    salient(model_home / "u2net.onnx", 256)
    with pytest.raises(ModelError, match=r"1x3x320x320"):
        select_subject(_photo(), SubjectParams("u2net"))


def test_an_unknown_family_gets_a_clear_error(tmp_path):
    salient(tmp_path / "mystery.onnx", 320)
    with pytest.raises(ModelError, match="cannot tell which model family"):
        resolve(str(tmp_path / "mystery.onnx"))


def test_a_corrupt_file_is_refused(model_home):
    (model_home / "u2netp.onnx").write_bytes(b"not a model")
    with pytest.raises(ModelError, match="cannot load"):
        select_subject(_photo(), SubjectParams("u2netp"))


def test_scan_finds_rembgs_folder_veils_folder_and_preferences(model_home, tmp_path):
    from editor.masks.models import registry

    salient(model_home / "u2netp.onnx", 320)
    (tmp_path / "veil-models").mkdir()
    salient(tmp_path / "veil-models" / "birefnet-general-lite.onnx", 1024)
    sam_pair(model_home, "mobile_sam")
    sam_pair(tmp_path / "loose", "lonely")
    (tmp_path / "loose" / "lonely.decoder.onnx").unlink()
    other = salient(tmp_path / "elsewhere-silueta.onnx", 320)
    renamed = other.rename(tmp_path / "silueta.onnx")
    registry.set_extra_files([renamed, tmp_path / "gone.onnx"])
    models, problems = scan()
    by_name = {m.name: m for m in models}
    assert by_name["u2netp"].source == "rembg"
    assert by_name["birefnet-general-lite"].family.name == "birefnet-general-lite"
    assert by_name["silueta"].source == "preferences"
    assert by_name["mobile_sam"].kind == "prompt" and by_name["mobile_sam"].decoder is not None
    assert any("gone.onnx" in p for p in problems)


def test_a_salient_model_is_refused_where_a_prompt_model_is_needed(model_home):
    salient(model_home / "u2net.onnx", 320)
    with pytest.raises(ModelError, match="encoder/decoder pair"):
        resolve("u2net", kind="prompt")


@pytest.mark.parametrize("encoder_input", ["nchw", "hwc"])
def test_a_click_lands_on_its_pixel(tmp_path, encoder_input):
    enc, _ = sam_pair(tmp_path, encoder_input=encoder_input)
    info = resolve(str(enc), kind="prompt")
    rgb = _photo(1536, 2048)  # the encoder's frame is 768 x 1024: half scale
    emb = embed(info, rgb)
    assert emb.frame == (768, 1024) and emb.scale == pytest.approx(0.5)
    mask = decode(info, emb, [(1300, 400, ADD)])
    ys, xs = np.nonzero(mask > 127)
    # The tiny decoder draws a disc of radius 40 frame pixels (80 layer pixels) around the point.
    assert abs(xs.mean() - 1300) < 1.5 and abs(ys.mean() - 400) < 1.5
    assert abs((xs.max() - xs.min()) / 2 - 80) <= 2


def test_object_params_round_trip_and_validate():
    p = ObjectParams("sam", [(3, 4, ADD), (5, 6, REMOVE)], (1, 2, 30, 40), "abc")
    assert ObjectParams.from_dict(p.to_dict()) == p
    with pytest.raises(ValueError, match="point or a box"):
        ObjectParams.from_dict({"model": "sam"})
    with pytest.raises(ValueError, match="label"):
        ObjectParams.from_dict({"model": "sam", "points": [[1, 2, 7]]})


def test_select_object_in_one_go(tmp_path):
    enc, _ = sam_pair(tmp_path, radius=200)  # frame 768 x 1024: 8.5x the photo
    rgb = _photo(90, 120)
    mask = select_object(rgb, ObjectParams(str(enc), [(60, 45, ADD)]))
    assert mask[45, 60] == 255 and mask[5, 5] == 0


def test_cli_subject_object_and_models(model_home, tmp_path, capsys):
    import json

    from PIL import Image

    from editor.cli import main

    rgb = _photo(1536, 2048)
    src = tmp_path / "shot.png"
    Image.fromarray(rgb).save(src)
    assert main(["models", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["models"] == []
    # No model installed: the saliency method, said on stderr.
    assert main(["mask", "subject", str(src), "--out", str(tmp_path / "fallback.png")]) == 0
    assert "saliency method" in capsys.readouterr().err

    salient(model_home / "u2netp.onnx", 320)
    enc, _ = sam_pair(model_home, "mobile_sam")
    assert main(["models"]) == 0
    listing = capsys.readouterr().out
    assert "u2netp" in listing and "mobile_sam" in listing

    out = tmp_path / "subject.png"
    assert main(["mask", "subject", str(src), "--out", str(out), "--model", "u2netp"]) == 0
    want = select_subject(rgb, SubjectParams("u2netp"))
    assert np.array_equal(np.asarray(Image.open(out)), want)

    out = tmp_path / "object.png"
    assert main(["mask", "object", str(src), "--out", str(out), "--model", "mobile_sam", "--point", "1300,400"]) == 0
    mask = np.asarray(Image.open(out))
    assert mask[400, 1300] == 255 and mask[1000, 300] == 0

    with pytest.raises(SystemExit) as exit_:
        main(["mask", "object", str(src), "--out", str(out), "--model", "mobile_sam"])
    assert exit_.value.code == 2
    with pytest.raises(SystemExit):
        main(["mask", "subject", str(src), "--out", str(out), "--model", "nonexistent"])
    assert "no model named 'nonexistent'" in capsys.readouterr().err


def test_a_model_mask_is_remembered_and_reruns(model_home):
    from editor.core import Document, Layer
    from editor.masks.generators import apply_to_layer, rerun

    salient(model_home / "u2net.onnx", 320)
    rgb = _photo(200, 300)
    doc = Document(300, 200)
    layer = Layer("shot", np.dstack([rgb, np.full(rgb.shape[:2], 255, np.uint8)]))
    doc.root.insert(0, layer)
    params = SubjectParams("u2net").to_dict()
    mask = apply_to_layer(doc, layer, params)
    assert mask.generator["kind"] == "model-subject" and mask.generator["model"] == "u2net"
    before = mask.data.copy()
    layer.pixels[:, :150, :3] = 255 - layer.pixels[:, :150, :3]
    again = rerun(doc, layer)
    assert not np.array_equal(again.data, before)


def test_cancel_stops_a_model_run_before_it_returns_a_mask(model_home):
    from editor.masks.object_select import Cancelled

    salient(model_home / "u2netp.onnx", 320)
    sam_pair(model_home, "tiny_sam")
    pixels = np.full((60, 80, 3), 128, np.uint8)
    with pytest.raises(Cancelled):
        select_subject(pixels, SubjectParams("u2netp"), cancel=lambda: True)
    with pytest.raises(Cancelled):
        embed(resolve("tiny_sam", kind="prompt"), pixels, lambda: True)

"""Recipes are checked whole before any image is touched; each error names its line and reason."""

import json

import pytest

from editor.batch import RecipeError, parse_recipe
from editor.batch.recipe import validate_recipe

GOOD = """\
version = 1

[mask]
generator = "chroma-key"
key = "green"
tolerance = 0.1
name = "bottle"

[refine]
radius = 4

[despill]
mode = "average"

[background]
type = "colour"
colour = "#ffffff"

[trim]
margin = "5%"

[fit]
width = 2000
height = 2000
anchor = "bottom"

[[export]]
format = "jpeg"
quality = 85

[[export]]
format = "png"
suffix = "-cut"

[outputs]
mask = true
ora = true
"""


def test_a_good_recipe_reads_with_defaults_filled():
    recipe = parse_recipe(GOOD)
    mask = recipe.get("mask")
    assert mask["generator"] == "chroma-key" and mask["name"] == "bottle"
    assert mask["params"]["tolerance"] == 0.1 and mask["params"]["softness"] == 1.0  # the generator's default
    assert recipe.get("trim") == {"margin": "5%"}
    assert recipe.get("fit")["mode"] == "pad" and recipe.get("fit")["resample"] == "lanczos"
    assert [e["format"] for e in recipe.exports] == ["jpeg", "png"] and recipe.exports[0]["icc"] is True
    # TOML and JSON of the same recipe are the same recipe (same hash), and it round-trips.
    again = parse_recipe(recipe.to_toml())
    assert again.steps == recipe.steps and again.hash == recipe.hash
    assert parse_recipe(recipe.to_json(), "json").hash == recipe.hash
    assert parse_recipe(GOOD.replace("quality = 85", "quality = 86")).hash != recipe.hash


def _error(text: str, fmt: str = "toml") -> str:
    with pytest.raises(RecipeError) as e:
        parse_recipe(text, fmt, name="r.toml")
    return str(e.value)


@pytest.mark.parametrize("change, expected", [
    (("[outputs]", "[output]"), "r.toml:35: output: unknown step; expected one of mask, refine"),
    (("tolerance = 0.1", "tolerance = 1.5"), "r.toml:6: mask.tolerance: must be float in [0, 1), not 1.5"),
    (("tolerance = 0.1", "tolerence = 0.1"), "r.toml:6: mask.tolerence: unknown parameter; expected one of key, tolerance"),
    (('generator = "chroma-key"', 'generator = "magic"'), "r.toml:4: mask.generator: must be one of alpha, file, color-range"),
    (('key = "green"', 'key = "#777777"'), "r.toml:5: mask.key: key colour #777777 is too close to grey to key on"),
    (("radius = 4", "radius = -1"), "r.toml:10: refine.radius: must be int in [0, 512], not -1"),
    (('mode = "average"', 'mode = "median"'), "r.toml:13: despill.mode: must be one of max, average, not 'median'"),
    (('colour = "#ffffff"', 'colour = "white"'), "r.toml:17: background.colour: a colour is #rrggbb, not 'white'"),
    (('margin = "5%"', 'margin = "five"'), 'r.toml:20: trim.margin: must be pixels (an integer >= 0) or a percentage'),
    (("width = 2000\n", ""), "r.toml:22: fit.width: is required (int in [1, 30000])"),
    (('anchor = "bottom"', 'anchor = "south"'), "r.toml:25: fit.anchor: must be one of top-left, top"),
    (("quality = 85", "quality = 0"), "r.toml:29: export[0].quality: must be int in [1, 100], not 0"),
    (('suffix = "-cut"', 'format = "png"'), "r.toml:33: not valid TOML"),
    (('format = "png"\nsuffix = "-cut"', 'format = "jpeg"\nsuffix = ""'),
     "r.toml:33: export[1].suffix: another output is written as <name>.jpg already"),
    (("mask = true", "mask = 1"), "r.toml:36: outputs.mask: must be true or false, not 1"),
    (("[refine]", "[refine"), "r.toml:9: not valid TOML"),
])
def test_each_error_names_its_line_and_reason(change, expected):
    old, new = change
    assert old in GOOD
    text = GOOD.replace(old, new, 1)
    message = _error(text)
    assert message.startswith(expected), message


def test_two_exports_to_one_file_and_other_whole_recipe_errors():
    assert "export[1].suffix: another output is written as <name>.png" in _error(
        '[[export]]\nformat = "png"\n[[export]]\nformat = "png"\n')
    assert "the recipe writes nothing" in _error('[mask]\ngenerator = "alpha"\n')
    assert "version: must be 1, not 2" in _error('version = 2\n[[export]]\nformat = "png"\n')
    assert "background.image: cannot read" in _error('[background]\ntype = "image"\nimage = "nowhere.png"\n'
                                                      '[[export]]\nformat = "png"\n')
    assert 'background: background type "image" needs image' in _error(
        '[background]\ntype = "image"\n[[export]]\nformat = "png"\n')
    assert "mask.pattern: is for generator = \"file\" only" in _error(
        '[mask]\ngenerator = "alpha"\npattern = "{stem}.m.png"\n[[export]]\nformat = "png"\n')
    assert "resize: needs width" in _error('[resize]\n[[export]]\nformat = "png"\n')
    assert "labels need a mask step" in _error('[labels]\nformats = ["coco"]\n[[export]]\nformat = "png"\n')
    assert "labels.formats are some of coco, png, yolo" in _error(
        '[mask]\ngenerator = "alpha"\n[labels]\nformats = ["voc"]\n')


def test_json_recipes_report_lines_too():
    data = json.loads(parse_recipe(GOOD).to_json())
    data["fit"]["width"] = "wide"
    text = json.dumps(data, indent=2)
    line = next(i for i, l in enumerate(text.splitlines(), 1) if '"width": "wide"' in l)
    assert _error(text, "json").startswith(f"r.toml:{line}: fit.width: must be an integer")
    assert _error('{"mask": ', "json").startswith("r.toml:1: not valid JSON")


def test_every_step_is_a_registered_operation():
    from editor.core.operations import REGISTRY

    ids = REGISTRY.ids("batch")
    assert ids == ["batch.refine", "batch.despill", "batch.background", "batch.trim", "batch.fit", "batch.resize",
                   "batch.export", "batch.outputs", "batch.labels"]
    with pytest.raises(ValueError):
        validate_recipe({"fit": {"width": 10, "height": 10}, "export": {"format": "gif"}})

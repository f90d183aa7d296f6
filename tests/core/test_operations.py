"""The operation registry: schemas validate with messages naming the parameter, and round-trip
through JSON and TOML; the mask generators are registered on it once."""

import tomllib

import pytest

from editor.core.operations import (
    Operation,
    Param,
    ParamError,
    Registry,
    Schema,
    dumps_toml,
)

SCHEMA = Schema((
    Param("tolerance", "float", 0.0, minimum=0.0, maximum=1.0, below=True),
    Param("count", "int", 3, minimum=1),
    Param("mode", "choice", "max", choices=("max", "average")),
    Param("colour", "colour", "#00ff00"),
    Param("rect", "rect", None, nullable=True),
    Param("on", "bool", True),
    Param("samples", "colour-list"),
))


def test_defaults_are_filled_and_values_canonical():
    values = SCHEMA.validate({"samples": ["#FF0000", [0, 0, 255]], "rect": "1,2,3,4", "count": "7"})
    assert values == {"tolerance": 0.0, "count": 7, "mode": "max", "colour": "#00ff00", "rect": [1, 2, 3, 4],
                      "on": True, "samples": [[255, 0, 0], [0, 0, 255]]}


@pytest.mark.parametrize("data, path, words", [
    ({"samples": ["#ff0000"], "tolerance": 1.0}, "step.tolerance", "[0, 1)"),
    ({"samples": ["#ff0000"], "tolerance": "x"}, "step.tolerance", "a number"),
    ({"samples": ["#ff0000"], "count": 0}, "step.count", ">= 1"),
    ({"samples": ["#ff0000"], "count": 2.5}, "step.count", "an integer"),
    ({"samples": ["#ff0000"], "mode": "min"}, "step.mode", "one of max, average"),
    ({"samples": ["#ff0000"], "colour": "#12"}, "step.colour", "#rrggbb"),
    ({"samples": ["#ff0000"], "rect": [1, 2, 0, 4]}, "step.rect", "positive width"),
    ({"samples": ["#ff0000"], "on": "yes"}, "step.on", "true or false"),
    ({}, "step.samples", "is required"),
    ({"samples": ["#ff0000"], "tolerence": 0.1}, "step.tolerence", "unknown parameter; expected one of tolerance"),
])
def test_bad_values_name_the_parameter_and_the_reason(data, path, words):
    with pytest.raises(ParamError) as e:
        SCHEMA.validate(data, "step")
    assert e.value.path == path and words in str(e.value) and str(e.value).startswith(path + ":")


def test_json_and_toml_round_trip():
    values = SCHEMA.validate({"samples": ["#102030"], "rect": [5, 6, 7, 8], "tolerance": 0.25, "on": False})
    assert SCHEMA.from_json(SCHEMA.to_json(values)) == values
    text = SCHEMA.to_toml(values)
    assert tomllib.loads(text)["samples"] == [[16, 32, 48]]
    assert SCHEMA.from_toml(text) == values
    # None is left out (TOML has no null) and reads back as the nullable default.
    assert SCHEMA.from_toml(SCHEMA.to_toml({**values, "rect": None}))["rect"] is None


def test_dumps_toml_nests_tables_and_arrays_of_tables():
    doc = {"version": 1, "mask": {"generator": "chroma-key", "params": {"key": "green"}},
           "export": [{"format": "png"}, {"format": "jpeg", "quality": 90}]}
    assert tomllib.loads(dumps_toml(doc)) == doc


def test_a_registry_refuses_duplicates_and_names_the_known_ids():
    reg = Registry()
    op = Operation("twice", "Twice", Schema((Param("n", "int", 2),)), lambda doc, p: doc * p["n"])
    reg.register(op)
    assert reg.get("twice")(3) == 6 and reg.get("twice")(3, {"n": 5}) == 15
    with pytest.raises(ValueError, match="registered already"):
        reg.register(op)
    with pytest.raises(ValueError, match="unknown operation 'thrice'; expected one of twice"):
        reg.get("thrice")
    with pytest.raises(ParamError, match="n: must be an integer"):
        reg.get("twice")(3, {"n": "many"})

"""Adobe .cube 3D LUTs read into Color Lookup tables."""

import numpy as np
import pytest

from editor.io.cube_lut import read_cube


def write_swap_cube(path, n: int = 2) -> None:
    """A cube exchanging red and blue; the file's red runs fastest."""
    axis = np.linspace(0, 1, n)
    lines = ["TITLE \"swap\"", "# a comment", f"LUT_3D_SIZE {n}"]
    lines += [f"{b:.6f} {g:.6f} {r:.6f}" for b in axis for g in axis for r in axis]
    path.write_text("\n".join(lines) + "\n")


def test_a_cube_read_into_the_table_order_r_slowest(tmp_path):
    write_swap_cube(tmp_path / "swap.cube")
    table = read_cube(tmp_path / "swap.cube", size=3)
    grid = np.array(table["rgb"]).reshape(3, 3, 3, 3)
    assert table["size"] == 3
    assert grid[2, 0, 0].tolist() == [0, 0, 255] and grid[0, 0, 2].tolist() == [255, 0, 0]
    assert grid[1, 2, 0].tolist() == [0, 255, 128]


def test_a_short_or_1d_cube_is_refused(tmp_path):
    (tmp_path / "short.cube").write_text("LUT_3D_SIZE 2\n0 0 0\n")
    with pytest.raises(ValueError, match="needs 8 entries"):
        read_cube(tmp_path / "short.cube")
    (tmp_path / "one.cube").write_text("LUT_1D_SIZE 2\n0 0 0\n1 1 1\n")
    with pytest.raises(ValueError, match="1D"):
        read_cube(tmp_path / "one.cube")

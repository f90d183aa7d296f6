"""Free Transform of layers with their masks: one matrix, one undo step.

`transform_command` computes (in a worker, if the caller wishes) a core
`ReplaceContent` command that `doc.execute` applies as one undo step:

- a pixel layer whose mask is linked (Photoshop's chain, the default) has its
  pixels and mask warped together into the warped extent, so the mask lands
  exactly where its pixels land;
- with the mask unlinked, only the part being edited moves (`part`: "pixels" or
  "mask"); the other stays where it is in the document. Veil's masks always
  cover their layer's frame, so the layer is re-framed onto the union of both
  extents (transparent pixels, the mask's edge value around), losing nothing;
- a group transforms as a whole: every layer inside it, fill layers' and its own
  (document-sized) masks, all with the same matrix;
- a gradient fill layer's gradient is its content: its box and angle move with the
  pixels (`editor.paint.gradient_fill.mapped`), its mask as any fill layer's.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from editor.core import Document, GradientFillLayer, Group, Layer, Node, Rect
from editor.core.commands import ReplaceContent, SetProperties, SetSelection
from editor.core.history import Command, Macro
from editor.core.paths import Anchor, EditPath
from editor.core.selection import Selection

from .warp import (
    DEFAULT_INTERPOLATION,
    apply_points,
    mask_background,
    place,
    translation,
    warp,
    warped_extent,
)

Change = tuple[Node, np.ndarray | None, tuple[int, int] | None, np.ndarray | None]


def top_level(nodes: list[Node]) -> list[Node]:
    """Drop nodes inside another given group (a group transforms its descendants itself)."""
    chosen = set(map(id, nodes))
    return [n for n in nodes if not any(id(a) in chosen for a in n.ancestors())]


def _members(nodes: list[Node]) -> list[Node]:
    """Every node a transform of `nodes` touches, each once: the nodes and all their descendants."""
    out: list[Node] = []
    seen: set[int] = set()
    for node in top_level(nodes):
        for n in [node, *(node.walk() if isinstance(node, Group) else [])]:
            if id(n) not in seen:
                seen.add(id(n))
                out.append(n)
    return out


def transformable(node: Node) -> bool:
    return isinstance(node, Layer | GradientFillLayer) or (node.mask is not None) or (
        isinstance(node, Group) and any(isinstance(n, Layer | GradientFillLayer) or n.mask is not None
                                        for n in node.walk()))


def _gradient_change(doc: Document, node: GradientFillLayer, matrix: np.ndarray) -> SetProperties:
    """A gradient fill's gradient is its content: it moves as a layer's pixels do (its box and
    angle are in document coordinates, mapped through the matrix as Image > Rotate maps them)."""
    from editor.paint.gradient_fill import mapped  # paint imports render: bound late

    def f(x: float, y: float) -> tuple[float, float]:
        px, py = apply_points(matrix, np.array([[x, y]]))[0]
        return float(px), float(py)

    return SetProperties(node, {"gradient": mapped(node.gradient, doc.canvas, f, doc.canvas)})


def target_bounds(doc: Document, nodes: list[Node], part: str = "pixels") -> Rect | None:
    """The document rectangle Free Transform's handles frame: the layers' (or masks') bounds."""
    rect: Rect | None = None
    for node in _members(nodes):
        r: Rect | None = None
        if isinstance(node, Layer):
            r = node.bounds()
            if part == "mask" and node.mask is not None and not node.mask.linked:
                r = _mask_content_rect(node) or r
        elif node.mask is not None and part == "mask":
            r = doc.canvas
        elif isinstance(node, GradientFillLayer) and part == "pixels":  # the box its gradient is laid over
            from editor.paint.gradient_fill import box_of  # paint imports render: bound late

            r = box_of(node.gradient, doc.canvas)
        if r is not None and not r.empty:
            rect = r if rect is None else rect.union(r)
    return rect


def _mask_content_rect(node: Layer) -> Rect | None:
    """Where an unlinked mask differs from its background: what the user sees as "the mask"."""
    assert node.mask is not None
    data = node.mask.data
    diff = data != mask_background(data)
    rows, cols = np.flatnonzero(diff.any(axis=1)), np.flatnonzero(diff.any(axis=0))
    if rows.size == 0:
        return None
    return Rect.from_bounds(node.x + int(cols[0]), node.y + int(rows[0]), node.x + int(cols[-1]) + 1, node.y + int(rows[-1]) + 1)


def _layer_change(layer: Layer, matrix: np.ndarray, interpolation: str, part: str,
                  progress: Callable[[float], None]) -> Change:
    src = layer.bounds()
    mask = layer.mask
    if mask is None or mask.linked:
        dst = warped_extent(matrix, src)
        pixels = warp(layer.pixels, matrix, src, dst, interpolation,
                      progress=(lambda f: progress(f * 0.8)) if mask is not None else progress,
                      crop=mask is None)  # a linked mask is read through the same windows
        mask_data = None
        if mask is not None:
            mask_data = warp(mask.data, matrix, src, dst, interpolation, border=mask_background(mask.data),
                             progress=lambda f: progress(0.8 + f * 0.2))
        return (layer, pixels, (dst.x, dst.y), mask_data)
    background = mask_background(mask.data)
    moved = warped_extent(matrix, src)
    frame = moved.union(src)
    if part == "mask":
        pixels = place(layer.pixels, src, frame, 0)
        mask_data = warp(mask.data, matrix, src, frame, interpolation, border=background, progress=progress)
    else:
        pixels = warp(layer.pixels, matrix, src, frame, interpolation, progress=progress)
        mask_data = place(mask.data, src, frame, background)
    return (layer, pixels, (frame.x, frame.y), mask_data)


def _canvas_mask_change(doc: Document, node: Node, matrix: np.ndarray, interpolation: str,
                        progress: Callable[[float], None]) -> Change:
    """A group's or fill layer's document-sized mask, warped within the canvas."""
    assert node.mask is not None
    data = node.mask.data
    data = warp(data, matrix, doc.canvas, doc.canvas, interpolation, border=mask_background(data), progress=progress)
    return (node, None, None, data)


def transform_command(doc: Document, nodes: list[Node], matrix: np.ndarray, interpolation: str = DEFAULT_INTERPOLATION,
                      *, part: str | None = None, progress: Callable[[float], None] | None = None,
                      label: str = "Free Transform") -> Command | None:
    """The command transforming `nodes` (layers and groups) by a document matrix; None when nothing moves.
    A gradient fill layer's gradient moves with the pixels (`part` "pixels"), its mask as any mask.

    part: "pixels" or "mask" for layers whose mask is unlinked (default: the mask when
    the document is editing a mask). Reads the document, changes nothing: safe in a worker
    while the document stands still; `doc.execute` the result on the GUI thread.
    """
    matrix = np.asarray(matrix, np.float64)
    if part is None:
        part = "mask" if doc.edit_mask else "pixels"
    if part not in ("pixels", "mask"):
        raise ValueError("part must be 'pixels' or 'mask'")
    if np.allclose(matrix, np.eye(3), atol=1e-12):
        return None
    members = _members(nodes)
    jobs: list[Callable[[Callable[[float], None]], Change]] = []
    for node in members:
        if node.locked:
            raise ValueError(f"{node.name} is locked")
        if isinstance(node, Layer):
            jobs.append(lambda p, node=node: _layer_change(node, matrix, interpolation, part, p))
        elif node.mask is not None and (node.mask.linked or part == "mask"):
            jobs.append(lambda p, node=node: _canvas_mask_change(doc, node, matrix, interpolation, p))
    gradients = [_gradient_change(doc, n, matrix) for n in members if isinstance(n, GradientFillLayer) and part == "pixels"]
    if not jobs and not gradients:
        return None
    changes: list[Change] = []
    for i, job in enumerate(jobs):
        report = (lambda f, i=i: progress((i + f) / len(jobs))) if progress is not None else (lambda f: None)
        changes.append(job(report))
    content = ReplaceContent(changes, label) if changes else None
    if not gradients:
        return content
    return Macro(label, ([content] if content is not None else []) + gradients)


def transform_nodes(doc: Document, nodes: list[Node], matrix: np.ndarray, interpolation: str = DEFAULT_INTERPOLATION,
                    *, part: str | None = None, label: str = "Free Transform") -> bool:
    """Transform and record as one undo step; False when nothing changed."""
    cmd = transform_command(doc, nodes, matrix, interpolation, part=part, label=label)
    if cmd is None:
        return False
    doc.execute(cmd)
    return True


def move_unlinked(doc: Document, nodes: list[Node], dx: int, dy: int, part: str, *, merge_key: str | None = None) -> bool:
    """The Move tool on layers whose mask is unlinked: only the pixels or only the mask move.

    Integer steps, so nothing is resampled; the steps of one drag (same merge_key) merge.
    """
    if (dx, dy) == (0, 0):
        return False
    cmd = transform_command(doc, nodes, translation(dx, dy), "nearest", part=part, label="Move")
    if cmd is None:
        return False
    cmd.merge_key = merge_key
    doc.execute(cmd)
    return True


def selection_command(doc: Document, matrix: np.ndarray, interpolation: str = "bilinear", *,
                      progress: Callable[[float], None] | None = None) -> Macro | None:
    """Select > Transform Selection: the selection mask and the vector paths by one document matrix.

    The selection is resampled within the canvas (what leaves it is dropped, as in
    Photoshop); paths map anchor by anchor. None when there is nothing to transform.
    """
    matrix = np.asarray(matrix, np.float64)
    if np.allclose(matrix, np.eye(3), atol=1e-12):
        return None
    commands: list = []
    if doc.selection is not None:
        data = warp(doc.selection.data, matrix, doc.canvas, doc.canvas, interpolation, border=0, progress=progress)
        commands.append(SetSelection(Selection(data), "Transform Selection"))

    def mapped(pt: tuple[float, float]) -> tuple[float, float]:
        x, y = apply_points(matrix, np.array([pt], np.float64))[0]
        return (float(x), float(y))

    for path in doc.paths:
        anchors = [Anchor(mapped(a.point), mapped(a.handle_in), mapped(a.handle_out)) for a in path.anchors]
        commands.append(EditPath(path, anchors, label="Transform Selection"))
    return Macro("Transform Selection", commands) if commands else None

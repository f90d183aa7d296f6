"""Magnetic lasso: a path that snaps to edges as the pointer moves.

OpenCV's intelligent scissors (cv2.segmentation.IntelligentScissorsMB) find
the cheapest path along edges from an anchor to the pointer. Its buildMap is
a Dijkstra over the whole image it was given (seconds at 24 MP), so the
trace works in a window of WINDOW x WINDOW pixels around the current anchor:
one buildMap per anchor (~20 ms), then each pointer move is a getContour
(well under a millisecond). When the pointer leaves the window the trace
fastens an anchor where the window's edge meets the line to the pointer, as
Photoshop's magnetic lasso lays fastening points as you go.

`EdgeImage` is the per-image preparation (done once, in the background): a
pyramid of the image, so at low zoom the trace runs on a smaller level and
its window covers as many screen pixels as at 100% (Photoshop's lasso width
is in screen pixels, too).
"""

from __future__ import annotations

import math

import cv2
import numpy as np

WINDOW = 256
MIN_LEVEL_SIDE = 64


class EdgeImage:
    """An image (RGB(A) or grey uint8) prepared for tracing: a BGR pyramid, level 0 full size."""

    def __init__(self, image: np.ndarray) -> None:
        if image.ndim == 2:
            base = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
        elif image.shape[2] == 4:
            base = cv2.cvtColor(image, cv2.COLOR_RGBA2BGR)
        else:
            base = cv2.cvtColor(image, cv2.COLOR_RGB2BGR)
        self.levels = [base]
        while min(self.levels[-1].shape[:2]) >= 2 * MIN_LEVEL_SIDE:
            self.levels.append(cv2.pyrDown(self.levels[-1]))

    @property
    def size(self) -> tuple[int, int]:
        h, w = self.levels[0].shape[:2]
        return w, h

    def level_for_zoom(self, zoom: float) -> int:
        """The smallest level still at least as detailed as the screen at this zoom."""
        if zoom >= 1.0:
            return 0
        return max(0, min(len(self.levels) - 1, int(math.floor(math.log2(1.0 / zoom)))))


class MagneticTrace:
    """One magnetic-lasso outline: fixed points so far plus the live snap to the pointer.

    All points are document coordinates (floats, pixel centres at +0.5).
    """

    def __init__(self, edges: EdgeImage, start: tuple[float, float], *, zoom: float = 1.0, window: int = WINDOW) -> None:
        self.edges = edges
        self.level = edges.level_for_zoom(zoom)
        self.scale = 2**self.level
        self.window = window
        self.fixed: list[np.ndarray] = [np.array([start], np.float64)]
        self.live = np.empty((0, 2), np.float64)
        self._set_anchor(self._to_level(start))

    # --- coordinates -------------------------------------------------------
    def _to_level(self, p: tuple[float, float]) -> tuple[int, int]:
        h, w = self.edges.levels[self.level].shape[:2]
        x = int(min(max(p[0] / self.scale, 0), w - 1))
        y = int(min(max(p[1] / self.scale, 0), h - 1))
        return x, y

    def _to_doc(self, pts: np.ndarray) -> np.ndarray:
        return (pts.astype(np.float64) + 0.5) * self.scale

    # --- the window around the anchor ------------------------------------
    def _set_anchor(self, anchor: tuple[int, int]) -> None:
        image = self.edges.levels[self.level]
        h, w = image.shape[:2]
        half = self.window // 2
        x0 = min(max(anchor[0] - half, 0), max(0, w - self.window))
        y0 = min(max(anchor[1] - half, 0), max(0, h - self.window))
        x1, y1 = min(w, x0 + self.window), min(h, y0 + self.window)
        self.origin = np.array([x0, y0])
        self.box = (x0, y0, x1, y1)
        self.anchor = anchor
        tool = cv2.segmentation.IntelligentScissorsMB()
        tool.setEdgeFeatureCannyParameters(32, 100)
        tool.setGradientMagnitudeMaxLimit(200)
        tool.applyImage(np.ascontiguousarray(image[y0:y1, x0:x1]))
        tool.buildMap((anchor[0] - x0, anchor[1] - y0))
        self._tool = tool

    def _inside(self, p: tuple[int, int]) -> bool:
        x0, y0, x1, y1 = self.box
        return x0 <= p[0] < x1 and y0 <= p[1] < y1

    def _contour(self, target: tuple[int, int]) -> np.ndarray:
        local = (int(target[0] - self.origin[0]), int(target[1] - self.origin[1]))
        pts = self._tool.getContour(local).reshape(-1, 2)
        return pts + self.origin

    def _edge_point_towards(self, target: tuple[int, int]) -> tuple[int, int]:
        """The point of the line anchor -> target where it leaves the window (1 px inside)."""
        x0, y0, x1, y1 = self.box
        ax, ay = self.anchor
        dx, dy = target[0] - ax, target[1] - ay
        t = 1.0
        for d, a, lo, hi in ((dx, ax, x0, x1 - 1), (dy, ay, y0, y1 - 1)):
            if d > 0:
                t = min(t, (hi - 1 - a) / d)
            elif d < 0:
                t = min(t, (lo + 1 - a) / d)
        t = max(t, 0.0)
        return int(round(ax + dx * t)), int(round(ay + dy * t))

    # --- the public steps -------------------------------------------------
    def move(self, p: tuple[float, float]) -> np.ndarray:
        """Snap the live part to the pointer; return the whole outline so far."""
        target = self._to_level(p)
        for _ in range(64):  # each step moves the window by about half its size
            if self._inside(target):
                break
            fasten = self._edge_point_towards(target)
            if fasten == self.anchor:
                break
            self._fix(self._contour(fasten))
        if self._inside(target):
            self.live = self._to_doc(self._contour(target))
        return self.points()

    def add_anchor(self, p: tuple[float, float]) -> None:
        """Fasten the outline at the pointer (a click)."""
        self.move(p)
        if len(self.live):
            self._fix_doc(self.live)

    def remove_last_anchor(self) -> bool:
        """Backspace: drop the last fixed stretch; False when only the start is left."""
        if len(self.fixed) <= 1:
            return False
        self.fixed.pop()
        self.live = np.empty((0, 2), np.float64)
        end = self.fixed[-1][-1]
        self._set_anchor(self._to_level((end[0], end[1])))
        return True

    def _fix(self, contour: np.ndarray) -> None:
        self._fix_doc(self._to_doc(contour))

    def _fix_doc(self, contour_doc: np.ndarray) -> None:
        self.fixed.append(contour_doc)
        self.live = np.empty((0, 2), np.float64)
        end = contour_doc[-1]
        self._set_anchor(self._to_level((end[0], end[1])))

    def points(self) -> np.ndarray:
        return np.concatenate([*self.fixed, self.live])

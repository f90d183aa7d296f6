"""A minimal observer: core announces changes, the UI adapts them to Qt signals.

Modelled on napari's evented models, without Qt: a `Change` says what changed
and which rectangle of the document must be redrawn.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .geometry import Rect


@dataclass(frozen=True)
class Change:
    """One change to a document.

    kind: "pixels", "mask", "property", "structure", "selection", "document",
    "active", "history" or "paths" (the vector paths changed; rect bounds them).
    node: the layer or group concerned, when there is one.
    rect: the dirty rectangle in document coordinates; None means nothing to
    redraw, and the whole canvas is given as a rect when everything changed.
    """

    kind: str
    node: Any = None
    rect: Rect | None = None
    name: str | None = None


class Emitter:
    def __init__(self) -> None:
        self._listeners: list[Callable[[Change], None]] = []

    def connect(self, callback: Callable[[Change], None]) -> None:
        self._listeners.append(callback)

    def disconnect(self, callback: Callable[[Change], None]) -> None:
        self._listeners.remove(callback)

    def emit(self, change: Change) -> None:
        for callback in list(self._listeners):
            callback(change)

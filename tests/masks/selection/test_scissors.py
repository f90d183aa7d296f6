import time

import cv2
import numpy as np

from editor.masks.selection.scissors import EdgeImage, MagneticTrace


def blob_scene(h=600, w=800, seed=3):
    """A bright, irregular object on a noisy dark background, and its true edge's distance map."""
    rng = np.random.default_rng(seed)
    img = rng.normal(60, 12, size=(h, w, 3)).clip(0, 255).astype(np.uint8)
    inside = np.zeros((h, w), np.uint8)
    cv2.ellipse(inside, (400, 300), (230, 170), 15, 0, 360, 255, -1)
    cv2.circle(inside, (560, 200), 90, 255, -1)
    img[inside > 0] = rng.normal((200, 170, 120), 10, size=(int((inside > 0).sum()), 3)).clip(0, 255).astype(np.uint8)
    edge = cv2.Canny(inside, 50, 150)
    distance = cv2.distanceTransform(255 - edge, cv2.DIST_L2, 5)
    contours, _ = cv2.findContours(inside, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    outline = contours[0].reshape(-1, 2).astype(np.float64)
    return img, distance, outline


def mean_distance(points, distance):
    h, w = distance.shape
    xs = np.clip(np.floor(points[:, 0]).astype(int), 0, w - 1)
    ys = np.clip(np.floor(points[:, 1]).astype(int), 0, h - 1)
    return float(distance[ys, xs].mean())


def wobbly(outline, amplitude=7.0, step=6):
    """A hand-drawn-like path near the outline: pushed out and in along the normal."""
    pts = outline[::step]
    tangent = np.gradient(pts, axis=0)
    normal = np.stack([-tangent[:, 1], tangent[:, 0]], 1)
    normal /= np.linalg.norm(normal, axis=1, keepdims=True) + 1e-9
    wave = amplitude * np.sin(np.arange(len(pts)) / 3.0)
    return pts + normal * wave[:, None]


def test_magnetic_trace_follows_the_true_edge_closer_than_the_freehand_path():
    img, distance, outline = blob_scene()
    freehand = wobbly(outline)
    trace = MagneticTrace(EdgeImage(img), tuple(freehand[0]))
    for p in freehand[1:]:
        path = trace.move(tuple(p))
    trace.add_anchor(tuple(freehand[0]))
    path = trace.points()
    freehand_error = mean_distance(freehand, distance)
    snapped_error = mean_distance(path, distance)
    assert freehand_error > 3.0
    assert snapped_error < 1.5
    assert snapped_error < freehand_error / 3


def test_a_fast_pointer_leaving_the_window_lays_fastening_points():
    img, distance, outline = blob_scene()
    trace = MagneticTrace(EdgeImage(img), tuple(outline[0]), window=128)
    far = outline[len(outline) // 4]
    path = trace.move(tuple(far))
    assert len(trace.fixed) > 2
    np.testing.assert_allclose(path[-1], far + 0.5, atol=1.5)
    assert mean_distance(path, distance) < 3.0  # fastening points sit on the line to the pointer


def test_low_zoom_traces_on_a_smaller_level_in_document_coordinates():
    img, distance, outline = blob_scene()
    edges = EdgeImage(img)
    trace = MagneticTrace(edges, tuple(outline[0]), zoom=0.5)
    assert trace.scale == 2
    for p in wobbly(outline, step=12)[1:40]:
        path = trace.move(tuple(p))
    assert mean_distance(path, distance) < 2.5


def test_each_pointer_move_after_preparation_is_fast():
    img, _, outline = blob_scene()
    trace = MagneticTrace(EdgeImage(img), tuple(outline[0]))
    times = []
    for p in wobbly(outline, step=3)[1:200]:
        t0 = time.perf_counter()
        trace.move(tuple(p))
        times.append(time.perf_counter() - t0)
    assert np.median(times) < 0.01

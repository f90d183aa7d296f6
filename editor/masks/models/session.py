"""onnxruntime sessions, opened once per model file and kept while it is unchanged."""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from pathlib import Path

from .registry import ModelError

_LOCK = threading.Lock()
_SESSIONS: OrderedDict[tuple[str, int, int], object] = OrderedDict()
_KEEP = 3  # a subject model and an encoder/decoder pair


def session(path: Path):
    """An InferenceSession on every core for `path` (cached by path, size and mtime)."""
    import onnxruntime as ort

    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns)
    with _LOCK:
        if key in _SESSIONS:
            _SESSIONS.move_to_end(key)
            return _SESSIONS[key]
    options = ort.SessionOptions()
    options.intra_op_num_threads = os.cpu_count() or 1
    options.log_severity_level = 3
    try:
        sess = ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])
    except Exception as e:  # onnxruntime raises its own types for corrupt or foreign files
        raise ModelError(f"{path.name}: onnxruntime cannot load it ({str(e).splitlines()[0][:200]})") from e
    with _LOCK:
        _SESSIONS[key] = sess
        while len(_SESSIONS) > _KEEP:
            _SESSIONS.popitem(last=False)
    return sess


def input_shape(sess, index: int = 0) -> list:
    return list(sess.get_inputs()[index].shape)

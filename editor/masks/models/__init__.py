"""Segmentation models (ONNX, run by onnxruntime): Select Subject and the Object Selection tool.

families.py says what each model family expects, registry.py finds model
files, segment.py runs salient-object models, prompt.py segment-anything
pairs. onnxruntime is imported only when a model runs.
"""

from .families import SALIENT_FAMILIES, SalientFamily
from .prompt import ADD, REMOVE, Embedding, ObjectParams, decode, embed, select_object
from .registry import ModelError, ModelInfo, resolve, scan
from .segment import SubjectParams, select_subject

__all__ = ["ADD", "REMOVE", "SALIENT_FAMILIES", "Embedding", "ModelError", "ModelInfo", "ObjectParams",
           "SalientFamily", "SubjectParams", "decode", "embed", "resolve", "scan", "select_object",
           "select_subject"]

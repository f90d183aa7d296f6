"""Files: the .ora project format, PSD in and out, images in and out, all saved atomically."""

from .errors import DEFAULT_LIMITS, FileFormatError, Limits, OpenCancelled, SaveCancelled
from .files import (
    SUPPORTED_EXPORT,
    SUPPORTED_OPEN,
    convert,
    export_flat_ora,
    export_image,
    export_layer_png,
    export_mask_png,
    export_psd,
    load_image_layers,
    open_document,
    save_document,
    write_project,
)

__all__ = [
    "DEFAULT_LIMITS", "SUPPORTED_EXPORT", "SUPPORTED_OPEN", "FileFormatError", "Limits", "convert",
    "export_flat_ora", "export_image", "export_layer_png", "export_mask_png", "export_psd", "load_image_layers",
    "open_document", "OpenCancelled", "SaveCancelled", "save_document", "write_project",
]

"""The mask dialogs drive the real main window: reuse the UI suite's window fixtures."""

from tests.ui.conftest import dialogs, make_window, private_settings  # noqa: F401

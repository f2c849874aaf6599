"""UI test setup: the desk's application object, with translations built first."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from desk_app.ui.app import create_application
from desk_app.ui.i18n import compile_translations


@pytest.fixture(scope="session")
def qapp() -> QApplication:
    """pytest-qt's application fixture, replaced by the desk's own (Chinese by default)."""
    compile_translations()
    return create_application(["desk-app-tests"], "zh_CN")

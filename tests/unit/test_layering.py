"""The core never imports Qt: only desk_app/ui may import PySide6."""

from __future__ import annotations

import ast
import subprocess
import sys

from tests.conftest import ROOT

PACKAGE = ROOT / "desk_app"


def imported_modules(source: str) -> set[str]:
    tree = ast.parse(source)
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_module_outside_ui_imports_pyside6() -> None:
    offenders = []
    checked = 0
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] == "ui":
            continue
        checked += 1
        for name in imported_modules(path.read_text(encoding="utf-8")):
            if name == "PySide6" or name.startswith(("PySide6.", "shiboken6")):
                offenders.append(f"{relative}: {name}")
    assert checked > 5
    assert offenders == []


def test_the_detector_sees_an_import() -> None:
    assert "PySide6.QtCore" in imported_modules("from PySide6.QtCore import Qt\n")
    assert "PySide6" in imported_modules("def f():\n    import PySide6\n")


def test_support_commands_do_not_load_qt() -> None:
    code = (
        "import sys, desk_app.cli, desk_app.identity;"
        "desk_app.cli.main(['identify', '371602198601115150']);"
        "sys.exit(1 if 'PySide6' in sys.modules else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr

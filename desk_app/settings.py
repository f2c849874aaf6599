"""The desk's settings: declared once with type and default, upgraded by versioned steps.

Kept as ``settings.json`` in the data folder. Secrets never live here (they are in
the keyring); this file says where the platform is, which counter this is and how
long records are kept.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from desk_app.errors import DeskError, Fault

FILE_NAME = "settings.json"
VERSION = 1
TRAINING = "training"
LIVE = "live"


class SettingsError(DeskError):
    """The settings file cannot be read or written."""

    fault = Fault.ENVIRONMENT


@dataclass
class Settings:
    """Everything configurable about one desk, with defaults that start training mode.

    Attributes:
        desk_id: this desk's id; names its keyring entries.
        mode: ``training`` (default) or ``live``.
        platform_url: the live platform's URL; ignored in training mode unless set.
        training_institution: which training institution a training desk plays.
        counter_id: this counter's id, sent with every call.
        ca_bundle: a city's CA certificates for the live platform, if not the system's.
        items_served: item codes this counter offers (empty: all of the institution's).
        language: ``zh_CN`` or ``en``.
        decision_retention_days: cached decisions older than this are purged.
        settlement_retention_days: confirmed settlements are kept this long.
        reader_port: the ID card reader's serial port (empty: none).
        printer: the receipt printer's name (empty: the system default).
        idle_lock_minutes: lock the window after this long without input.
        scanner_prefix: characters the wedge scanner adds before a scan (stripped).
        scanner_suffix: characters the wedge scanner adds after a scan (stripped).
    """

    desk_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    mode: str = TRAINING
    platform_url: str = ""
    training_institution: str = "training-hospital"
    counter_id: str = "COUNTER-1"
    ca_bundle: str = ""
    items_served: list[str] = field(default_factory=list)
    language: str = "zh_CN"
    decision_retention_days: int = 30
    settlement_retention_days: int = 400
    reader_port: str = ""
    printer: str = ""
    idle_lock_minutes: int = 10
    scanner_prefix: str = ""
    scanner_suffix: str = ""

    @property
    def training(self) -> bool:
        """True in training mode."""
        return self.mode != LIVE


# Step N upgrades a version-N file to version N+1. None yet: version 1 is the first.
_UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def load(folder: Path) -> Settings:
    """The settings of the desk in ``folder``; defaults (saved) when there are none.

    Raises:
        SettingsError: the file exists but cannot be read as settings.
    """
    path = folder / FILE_NAME
    if not path.exists():
        settings = Settings()
        save(folder, settings)
        return settings
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        version = int(raw.pop("version", 1))
    except (OSError, ValueError, AttributeError) as exc:
        raise SettingsError(
            f"设置文件无法读取（{path}）。", f"The settings file cannot be read ({path})."
        ) from exc
    while version < VERSION:
        raw = _UPGRADES[version](raw)
        version += 1
    known = {f.name for f in fields(Settings)}
    settings = Settings(**{k: v for k, v in raw.items() if k in known})
    return settings


def save(folder: Path, settings: Settings) -> None:
    """Write the settings atomically (a half-written file is never left behind).

    Raises:
        SettingsError: when the folder cannot be written.
    """
    path = folder / FILE_NAME
    temporary = path.with_suffix(".tmp")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temporary.write_text(
            json.dumps({"version": VERSION, **asdict(settings)}, ensure_ascii=False, indent=2),
            encoding="utf-8",
        )
        os.replace(temporary, path)
    except OSError as exc:
        raise SettingsError(
            f"设置无法保存（{folder}）。", f"The settings cannot be saved ({folder})."
        ) from exc

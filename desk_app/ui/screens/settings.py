"""Settings, for supervisors: platform, counter, items, credentials (into the keyring)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desk_app import settings as settings_module
from desk_app.app import Desk
from desk_app.errors import BadInputError
from desk_app.secrets import CLIENT_ID, CLIENT_SECRET, TOKEN
from desk_app.services.operators import Operator
from desk_app.ui.tasks import TaskRunner

TRAINING_INSTITUTIONS = (
    "training-hospital",
    "training-hotel",
    "training-library",
    "training-parking",
    "training-apartment",
    "training-utility",
)


class SettingsError(BadInputError):
    """Settings that cannot work."""


def apply_settings(
    desk: Desk,
    new: settings_module.Settings,
    client_id: str,
    client_secret: str,
    operator: Operator,
) -> None:
    """Check and save settings; credentials go to the keyring, never to the file.

    Raises:
        SettingsError: live mode without an https URL or without credentials.
        SettingsError: not a supervisor.
    """
    if not operator.is_supervisor:
        raise SettingsError("只有主管可以修改设置。", "Only a supervisor changes settings.")
    if new.mode == settings_module.LIVE:
        if not new.platform_url.startswith("https://"):
            raise SettingsError(
                "正式模式的平台地址须以 https:// 开头。",
                "In live mode the platform URL must start with https://.",
            )
        has_credentials = client_id or desk.secrets.get(CLIENT_ID)
        if not has_credentials or client_id.startswith("training-"):
            raise SettingsError(
                "正式模式需要本机构的正式凭据。",
                "Live mode needs the institution's own (not training) credentials.",
            )
    if not new.counter_id.strip():
        raise SettingsError("请填写柜台编号。", "Enter the counter id.")
    if client_id:
        desk.secrets.set(CLIENT_ID, client_id)
        desk.secrets.set(CLIENT_SECRET, client_secret)
        desk.secrets.delete(TOKEN)
    old = desk.settings
    changed = sorted(name for name, value in vars(new).items() if getattr(old, name) != value)
    settings_module.save(desk.store.folder, new)
    with desk.store.write() as db:
        desk.ctx.audit(
            db, operator.operator_id, "settings_changed", changed=changed,
            credentials_changed=bool(client_id),
        )  # fmt: skip


class SettingsScreen(QWidget):
    """The supervisor's settings form. Saved settings apply at the next start."""

    def __init__(
        self,
        desk: Desk,
        tasks: TaskRunner,
        operator: Callable[[], Operator | None],
        show_message: Callable[[str, str], None],
    ) -> None:
        super().__init__()
        self.desk = desk
        self.tasks = tasks
        self._operator = operator
        self._message = show_message
        self.mode = QComboBox()
        self.mode.addItem(self.tr("Training (embedded training platform)"), "training")
        self.mode.addItem(self.tr("Live (the city platform)"), "live")
        self.platform_url = QLineEdit()
        self.platform_url.setPlaceholderText("https://")
        self.institution = QComboBox()
        for client_id in TRAINING_INSTITUTIONS:
            self.institution.addItem(client_id, client_id)
        self.counter_id = QLineEdit()
        self.ca_bundle = QLineEdit()
        self.client_id = QLineEdit()
        self.client_secret = QLineEdit()
        self.client_secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.language = QComboBox()
        self.language.addItem("简体中文", "zh_CN")
        self.language.addItem("English", "en")
        self.reader_port = QLineEdit()
        self.reader_port.setPlaceholderText("/dev/ttyUSB0  COM3")
        self.printer = QLineEdit()
        self.scanner_prefix = QLineEdit()
        self.scanner_suffix = QLineEdit()
        self.idle = QSpinBox()
        self.idle.setRange(1, 120)
        self.items = QListWidget()
        self.unlock_id = QLineEdit()
        self.unlock_button = QPushButton(self.tr("Unlock"))
        self.unlock_button.clicked.connect(self.unlock)
        self.save = QPushButton(self.tr("Save (applies at the next start)"))
        self.save.clicked.connect(self.save_settings)

        platform = QGroupBox(self.tr("Platform"))
        form = QFormLayout(platform)
        form.addRow(self.tr("Mode"), self.mode)
        form.addRow(self.tr("Platform URL (live)"), self.platform_url)
        form.addRow(self.tr("CA bundle (if the city has its own)"), self.ca_bundle)
        form.addRow(self.tr("Institution client id (live)"), self.client_id)
        form.addRow(self.tr("Client secret (kept in the keyring)"), self.client_secret)
        form.addRow(self.tr("Training institution"), self.institution)
        counter = QGroupBox(self.tr("This counter"))
        counter_form = QFormLayout(counter)
        counter_form.addRow(self.tr("Counter id"), self.counter_id)
        counter_form.addRow(self.tr("Language"), self.language)
        counter_form.addRow(self.tr("Card reader port"), self.reader_port)
        counter_form.addRow(self.tr("Printer"), self.printer)
        counter_form.addRow(self.tr("Scanner prefix (stripped)"), self.scanner_prefix)
        counter_form.addRow(self.tr("Scanner suffix (stripped)"), self.scanner_suffix)
        counter_form.addRow(self.tr("Lock after idle minutes"), self.idle)
        unlock = QHBoxLayout()
        unlock.addWidget(self.unlock_id)
        unlock.addWidget(self.unlock_button)
        counter_form.addRow(self.tr("Unlock an operator (id)"), unlock)
        items = QGroupBox(self.tr("Items this counter serves (none ticked: all)"))
        QVBoxLayout(items).addWidget(self.items)
        left = QVBoxLayout()
        left.addWidget(platform)
        left.addWidget(counter)
        left.addWidget(self.save, 0, Qt.AlignmentFlag.AlignLeft)
        left.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addWidget(items, 2)

    def load(self) -> None:
        """Fill the form from the current settings and the management list."""
        current = self.desk.settings
        self.mode.setCurrentIndex(self.mode.findData(current.mode))
        self.platform_url.setText(current.platform_url)
        self.institution.setCurrentIndex(self.institution.findData(current.training_institution))
        self.counter_id.setText(current.counter_id)
        self.ca_bundle.setText(current.ca_bundle)
        self.language.setCurrentIndex(self.language.findData(current.language))
        self.reader_port.setText(current.reader_port)
        self.printer.setText(current.printer)
        self.idle.setValue(current.idle_lock_minutes)
        self.scanner_prefix.setText(current.scanner_prefix)
        self.scanner_suffix.setText(current.scanner_suffix)
        self.client_id.clear()
        self.client_secret.clear()
        self.tasks.run_task(self.desk.items.all, self._show_items)

    def _show_items(self, items: list[object]) -> None:
        self.items.clear()
        for item in items:
            code = getattr(item, "code", "")
            name = getattr(item, "name", None)
            label = f"{getattr(name, 'zh', '')}  ({code})"
            entry = QListWidgetItem(label)
            entry.setData(Qt.ItemDataRole.UserRole, code)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            served = code in self.desk.settings.items_served
            entry.setCheckState(Qt.CheckState.Checked if served else Qt.CheckState.Unchecked)
            self.items.addItem(entry)

    def form_settings(self) -> settings_module.Settings:
        """The settings as the form says."""
        served = [
            str(self.items.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.items.count())
            if self.items.item(i).checkState() == Qt.CheckState.Checked
        ]
        current = self.desk.settings
        return settings_module.Settings(
            desk_id=current.desk_id,
            mode=str(self.mode.currentData()),
            platform_url=self.platform_url.text().strip(),
            training_institution=str(self.institution.currentData()),
            counter_id=self.counter_id.text().strip(),
            ca_bundle=self.ca_bundle.text().strip(),
            items_served=served,
            language=str(self.language.currentData()),
            decision_retention_days=current.decision_retention_days,
            settlement_retention_days=current.settlement_retention_days,
            reader_port=self.reader_port.text().strip(),
            printer=self.printer.text().strip(),
            idle_lock_minutes=self.idle.value(),
            scanner_prefix=self.scanner_prefix.text(),
            scanner_suffix=self.scanner_suffix.text(),
        )

    def unlock(self) -> None:
        """Clear an operator's wrong PINs (after five, only a supervisor can)."""
        operator = self._operator()
        operator_id = self.unlock_id.text().strip()
        if operator is None or not operator.is_supervisor or not operator_id:
            return
        self.tasks.run_task(
            lambda: self.desk.operators.unlock(operator_id, operator),
            lambda _: self._message(
                "success", self.tr("Operator {id} can sign in again.").format(id=operator_id)
            ),
        )
        self.unlock_id.clear()

    def save_settings(self) -> None:
        """Check and save (off the GUI thread: the keyring can be slow)."""
        operator = self._operator()
        if operator is None:
            return
        new = self.form_settings()
        client_id = self.client_id.text().strip()
        client_secret = self.client_secret.text()
        self.tasks.run_task(
            lambda: apply_settings(self.desk, new, client_id, client_secret, operator),
            lambda _: self._message(
                "success", self.tr("Settings saved. They apply when the desk starts again.")
            ),
        )
        self.client_secret.clear()

"""Sign-in: operator id and PIN. Also the lock screen after idle time."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from desk_app.app import Desk
from desk_app.services.operators import Operator
from desk_app.ui.tasks import TaskRunner


class _OverflowWatcher(QObject):
    """Notices keys typed into a full field: a scanner, not a PIN."""

    def __init__(self, field: QLineEdit) -> None:
        super().__init__(field)
        self._field = field
        self.overflowed = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.text().isprintable()
            and event.text()
            and len(self._field.text()) >= self._field.maxLength()
        ):
            self.overflowed = True
        return False


class SignInScreen(QWidget):
    """Sign an operator in (the PIN is checked off the GUI thread: scrypt is slow on purpose).

    Signals:
        signed_in(object): the Operator.
    """

    signed_in = Signal(object)

    def __init__(
        self, desk: Desk, tasks: TaskRunner, show_message: Callable[[str, str], None],
        training_hint: str,
    ) -> None:  # fmt: skip
        super().__init__()
        self.desk = desk
        self.tasks = tasks
        self._message = show_message
        self.title = QLabel(self.tr("Sign in"))
        self.title.setObjectName("screenTitle")
        self.operator_field = QLineEdit()
        self.operator_field.setObjectName("operatorField")
        self.pin_field = QLineEdit()
        self.pin_field.setObjectName("pinField")
        self.pin_field.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_field.setMaxLength(8)
        # A card scanned into the PIN field (locked desk) must not count as a wrong PIN.
        self._overflow = _OverflowWatcher(self.pin_field)
        self.pin_field.installEventFilter(self._overflow)
        self.button = QPushButton(self.tr("Enter  Sign in"))
        self.hint = QLabel(training_hint)
        self.hint.setObjectName("trainingHint")
        box = QWidget()
        box.setMaximumWidth(460)
        form = QFormLayout(box)
        form.addRow(self.tr("Operator id"), self.operator_field)
        form.addRow(self.tr("PIN"), self.pin_field)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.title, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.hint, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.operator_field.returnPressed.connect(self.pin_field.setFocus)
        self.pin_field.returnPressed.connect(self.submit)
        self.button.clicked.connect(self.submit)

    def reset(self, locked_operator: Operator | None = None) -> None:
        """Empty the form; after an idle lock, the same operator is offered."""
        self.pin_field.clear()
        if locked_operator is not None:
            self.title.setText(
                self.tr("Locked after idle time: {name}, enter your PIN").format(
                    name=locked_operator.name
                )
            )
            self.operator_field.setText(locked_operator.operator_id)
            self.pin_field.setFocus()
        else:
            self.title.setText(self.tr("Sign in"))
            self.operator_field.clear()
            self.operator_field.setFocus()

    def submit(self) -> None:
        """Check the PIN off the GUI thread (a scan that overflowed the field is no PIN)."""
        operator_id = self.operator_field.text().strip()
        pin = self.pin_field.text()
        if self._overflow.overflowed:
            self._overflow.overflowed = False
            self.pin_field.clear()
            self._message("warning", self.tr("Sign in first, then scan the customer's document."))
            return
        self.button.setEnabled(False)
        self.tasks.run_task(
            lambda: self.desk.operators.sign_in(operator_id, pin), self._done, self._failed
        )

    def _done(self, operator: Operator) -> None:
        self.button.setEnabled(True)
        self.pin_field.clear()
        self.signed_in.emit(operator)

    def _failed(self, error: BaseException) -> None:
        self.button.setEnabled(True)
        self.pin_field.clear()
        self.pin_field.setFocus()
        handler = getattr(self.window(), "on_error", None)
        if handler is not None:
            handler(error)

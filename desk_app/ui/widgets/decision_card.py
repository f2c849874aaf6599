"""The decision card: in one glance, waive or collect, how much, and why."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from desk_app.domain.model import Decision, DecisionSource, Outcome
from desk_app.domain.money import format_fen


class DecisionCard(QFrame):
    """Large, colour-coded, with text and a symbol (never colour alone)."""

    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("decisionCard")
        self._english = language == "en"
        self.verdict = QLabel()
        self.verdict.setObjectName("decisionVerdict")
        self.amount = QLabel()
        self.amount.setObjectName("decisionAmount")
        self.credit = QLabel()
        self.source = QLabel()
        self.source.setObjectName("decisionSource")
        self.reasons = QLabel()
        self.reasons.setObjectName("decisionReasons")
        self.reasons.setWordWrap(True)
        self.reasons.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        for label in (self.verdict, self.amount, self.credit, self.source, self.reasons):
            layout.addWidget(label)
        layout.addStretch(1)
        self.clear()

    def _set_state(self, state: str) -> None:
        self.setProperty("outcome", state)
        self.style().unpolish(self)
        self.style().polish(self)

    def clear(self) -> None:
        """No decision yet."""
        self.verdict.setText(self.tr("No decision yet"))
        for label in (self.amount, self.credit, self.source, self.reasons):
            label.clear()
        self._set_state("none")

    def show_busy(self) -> None:
        """Asking the platform."""
        self.clear()
        self.verdict.setText(self.tr("Asking the credit platform…"))
        self._set_state("busy")

    def show_decision(self, decision: Decision, now: dt.datetime) -> None:
        """Show a decision, whoever made it."""
        state = decision.outcome.value
        if decision.outcome is Outcome.WAIVE:
            if decision.emergency:
                verdict = self.tr("EMERGENCY: treat first, no deposit")
            elif decision.source is DecisionSource.PROVISIONAL:
                verdict = self.tr("WAIVE for now: offline, to be verified")
                # Not the green of a platform waiver: the clerk must see it is provisional.
                state = "provisional"
            elif decision.source is DecisionSource.CACHE:
                verdict = self.tr("WAIVE the deposit (offline: earlier platform decision)")
            else:
                verdict = self.tr("WAIVE the deposit")
            self.verdict.setText("✔ " + verdict)
            self.amount.setText(
                self.tr("Waived: {amount}").format(amount=format_fen(decision.waived_fen))
            )
        elif decision.outcome is Outcome.NOT_REQUIRED:
            self.verdict.setText("○ " + self.tr("NO DEPOSIT for this item"))
            self.amount.setText(self.tr("Record the service only"))
        else:
            self.verdict.setText("✘ " + self.tr("COLLECT the deposit"))
            self.amount.setText(
                self.tr("To collect: {amount}").format(amount=format_fen(decision.collect_fen))
            )
        self._set_state(state)
        if decision.score is not None:
            self.credit.setText(
                self.tr("Credit score {score} (level {level}); this item needs {threshold}").format(
                    score=decision.score,
                    level=decision.level or "-",
                    threshold=decision.threshold if decision.threshold is not None else "-",
                )
            )
        elif decision.threshold is not None:
            self.credit.setText(
                self.tr("This item needs {threshold} points").format(threshold=decision.threshold)
            )
        else:
            self.credit.clear()
        self.source.setText(self._source_text(decision, now))
        lines = [r.text.en if self._english else r.text.zh for r in decision.reasons]
        self.reasons.setText("\n".join("• " + line for line in lines))

    def _source_text(self, decision: Decision, now: dt.datetime) -> str:
        valid = decision.valid_until.strftime("%Y-%m-%d %H:%M")
        if decision.source is DecisionSource.ONLINE:
            text = self.tr("Online decision, valid until {time}").format(time=valid)
        elif decision.source is DecisionSource.CACHE:
            minutes = int(decision.age(now).total_seconds() // 60)
            text = self.tr(
                "OFFLINE: cached platform decision from {minutes} min ago, valid until {time}"
            ).format(minutes=minutes, time=valid)
        elif decision.source is DecisionSource.PROVISIONAL:
            text = self.tr("OFFLINE: provisional waiver, verified when the platform is back")
        elif decision.source is DecisionSource.OFFLINE_COLLECT:
            text = self.tr("OFFLINE: collected by this item's offline rule")
        else:
            text = self.tr("Decided by the management list (no credit check)")
        return text

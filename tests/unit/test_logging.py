"""The desk's log: rotated, in the per-user folder, and never an identity number."""

from __future__ import annotations

from pathlib import Path


def test_the_log_never_holds_an_identity_number(tmp_path: Path) -> None:
    import logging

    from desk_app import logging_setup

    log_file = tmp_path / "logs" / "desk.log"
    logging_setup.configure(logging.INFO, log_file)
    try:
        logger = logging.getLogger("desk_app.test")
        logger.info("scanned %s for item %s", "371602198601115150", "BZ-CR-01")
        try:
            raise ValueError("bad 11010519491231002X")
        except ValueError:
            logger.exception("failed")
        for handler in logging.getLogger().handlers:
            handler.flush()
        text = log_file.read_text(encoding="utf-8")
    finally:
        for handler in list(logging.getLogger().handlers):
            logging.getLogger().removeHandler(handler)
            handler.close()
    assert "BZ-CR-01" in text
    assert "371602198601115150" not in text
    assert "11010519491231002X" not in text
    assert "ValueError" in text


def test_every_kind_of_number_is_masked() -> None:
    from desk_app.logging_setup import redact

    for number in (
        "371602198601115150",
        "11010519491231002X",
        "610104620927690",
        "KAZ110090123105",
        "911398199012310021",
        "91110000600037341L",
        "P<UTOERIKSSON<<ANNA",
    ):
        assert number not in redact(f"number={number},"), number

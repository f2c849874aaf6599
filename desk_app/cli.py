"""The ``desk-app`` command: with no subcommand it opens the desk; subcommands do support work.

Exit codes are a contract: 0 success, 1 the answer is "no" (e.g. an invalid
document), 2 a usage error (argparse's own).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import urllib.parse
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

from desk_app import __version__, logging_setup
from desk_app.errors import DeskError
from desk_app.identity import ALL_KINDS, Document, DocumentKind, InvalidDocumentError, identify
from desk_app.identity.regions import TABLE_VERSION
from desk_app.paths import default_data_dir

EXIT_OK = 0
EXIT_NO = 1
EXIT_USAGE = 2
# sysexits' EX_IOERR: the answer could not be written (disk full, closed stdout).
EXIT_OUTPUT_FAILED = 74

_IDENTIFY_FIELDS = (*(f.name for f in fields(Document) if f.name != "warnings"), "expired")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO date: {text!r}") from exc


def _platform_url(text: str) -> str:
    parts = urllib.parse.urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise argparse.ArgumentTypeError(
            f"not a platform address: {text!r} (expected e.g. https://credit.example.gov.cn)"
        )
    return text


def _add_desk_options(parser: argparse.ArgumentParser, default: Any) -> None:
    """The options that pick the desk's folder, platform and language."""
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=default,
        help="the desk's data folder (default: the per-user data folder)",
    )
    parser.add_argument(
        "--platform-url",
        type=_platform_url,
        default=default,
        help="the platform (default: the settings' one; in training mode the embedded "
        "training platform, started for the desk or the command)",
    )
    parser.add_argument(
        "--language",
        choices=["zh_CN", "en"],
        default=default,
        help="language of the window and of a report's PDF and CSV (default: the settings', zh_CN)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="desk-app",
        description="Deposit-free counter desk. With no subcommand, opens the desk window.",
    )
    parser.add_argument("--version", action="version", version=f"desk-app {__version__}")
    # Before the command (the window's) or after it (a support command's): the same options.
    _add_desk_options(parser, default=None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    ident = sub.add_parser(
        "identify",
        help="validate a document number or MRZ and print it as JSON",
        description="Validate TEXT as an identity document and print one JSON object. "
        "Exit 0 when valid, 1 when not, 2 on a usage error. MRZ lines may be separated "
        "by newlines (or a literal \\n) or run together.",
    )
    ident.add_argument("text", metavar="TEXT", help="the number, as typed, pasted or scanned")
    ident.add_argument(
        "--kind",
        action="append",
        choices=[k.value for k in DocumentKind],
        help="accept only this kind (repeatable); default: every kind",
    )
    ident.add_argument("--today", type=_date, help=argparse.SUPPRESS)

    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: a subcommand's default would otherwise overwrite what was given before it.
    _add_desk_options(common, default=argparse.SUPPRESS)
    sub.add_parser("status", parents=[common], help="mode, platform, outbox, database (JSON)")
    sub.add_parser("items", parents=[common], help="the management list this counter sees")
    decide = sub.add_parser(
        "decide", parents=[common], help="identify, decide and record; print the decision"
    )
    decide.add_argument("text", metavar="TEXT", help="the document number or MRZ")
    decide.add_argument("--item", required=True, help="the item code, e.g. BZ-CR-01")
    decide.add_argument("--amount", help="the deposit in yuan, e.g. 3000.00 (default: standard)")
    decide.add_argument("--emergency", action="store_true", help="emergency admission")
    sub.add_parser("sync", parents=[common], help="deliver the outbox now")
    audit = sub.add_parser("audit", help="the audit trail")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    audit_sub.add_parser("verify", parents=[common], help="check the hash chain (exit 0 or 1)")
    training = sub.add_parser("training", help="training mode helpers")
    training_sub = training.add_subparsers(dest="training_command", required=True, metavar="ACTION")
    residents = training_sub.add_parser(
        "residents", parents=[common], help="the training platform's synthetic residents"
    )
    residents.add_argument("--level", choices=["AAA", "AA", "A", "B", "C", "D"])

    report = sub.add_parser("report", help="reports")
    report_sub = report.add_subparsers(dest="report_command", required=True, metavar="REPORT")
    monthly = report_sub.add_parser(
        "monthly",
        parents=[common],
        help="a month's figures per item (JSON); export to CSV or PDF; submit to the platform",
        description="Print the month's figures as JSON. --csv and --pdf write them to files "
        "(CSV in UTF-8 with a BOM); --submit queues the report for the platform (the next "
        "revision when the figures changed) and delivers it. Exit 0 done, 1 refused or bad "
        "month, 3 a file or the store could not be written.",
    )
    monthly.add_argument("--month", required=True, help="the month, YYYY-MM")
    monthly.add_argument("--csv", type=Path, metavar="FILE", help="write the figures as CSV")
    monthly.add_argument("--pdf", type=Path, metavar="FILE", help="write the report as PDF")
    monthly.add_argument("--submit", action="store_true", help="submit to the platform")

    sub.add_parser(
        "self-check",
        help="store, embedded training platform, one decision, translations (exit 0 or 1)",
    )
    bench = sub.add_parser(
        "bench",
        help="measure the desk beside baselines (one line per figure; exit 0 when it ran)",
        description="Measure scan to decision, offline decision, cold start, outbox drain, "
        "memory and bundle size, each beside a baseline of the same run, on a temporary "
        "folder with keys in memory (the desk's own data and keyring are never touched). "
        "Exit 0 when it ran, goals met or not; 3 when it could not measure.",
    )
    bench.add_argument("--quick", action="store_true", help="small counts: under a minute")
    bench.add_argument("--json", type=Path, metavar="FILE", help="also write the figures as JSON")
    bench.add_argument("--child", help=argparse.SUPPRESS)
    reader = sub.add_parser("reader", help="the ID card reader")
    reader_sub = reader.add_subparsers(dest="reader_command", required=True, metavar="ACTION")
    read = reader_sub.add_parser(
        "read",
        help="read one card; exit 0 read, 3 no card in time, 4 reader or protocol error",
    )
    read.add_argument("--port", required=True, help="serial port, e.g. /dev/ttyUSB0 or COM3")
    read.add_argument("--baud", type=int, default=115200, help="line speed (default 115200)")
    read.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for a card")
    simulate = reader_sub.add_parser(
        "simulate", help="a simulated reader with a synthetic person's card, on one end of a pair"
    )
    simulate.add_argument("--port", required=True, help="the simulator's end of a serial pair")
    simulate.add_argument("--person", required=True, help="a synthetic person's number")
    simulate.add_argument("--baud", type=int, default=115200, help="line speed")
    return parser


def identify_json(
    text: str, kinds: Sequence[str] | None = None, today: dt.date | None = None
) -> tuple[int, dict[str, Any]]:
    """The ``identify`` subcommand's exit code and JSON object.

    Args:
        text: the input text.
        kinds: document kinds to accept (values of :class:`DocumentKind`); None for all.
        today: reference date; default today.

    Returns:
        ``(exit code, object)``.
    """
    today = today or dt.date.today()
    accepted = {DocumentKind(k) for k in kinds} if kinds else ALL_KINDS
    try:
        document = identify(text, kinds=accepted, today=today)
    except InvalidDocumentError as error:
        out: dict[str, Any] = {"valid": False}
        out.update(dict.fromkeys(_IDENTIFY_FIELDS))
        out["kind"] = error.kind.value if error.kind else None
        out["warnings"] = []
        out["errors"] = [p.to_dict() for p in error.problems]
        out["region_table"] = TABLE_VERSION
        return EXIT_NO, out
    out = document.to_dict(today)
    out["errors"] = []
    out["region_table"] = TABLE_VERSION
    return EXIT_OK, out


def _print_json(obj: dict[str, Any]) -> bool:
    """Write one JSON line to stdout; False (and a word on stderr) when it cannot."""
    try:
        if sys.stdout is None:
            raise OSError("standard output is closed")
        if hasattr(sys.stdout, "reconfigure"):
            # A Chinese Windows console defaults to GBK; JSON is UTF-8.
            sys.stdout.reconfigure(encoding="utf-8")
        print(json.dumps(obj, ensure_ascii=False), flush=True)
    except OSError as error:
        if sys.stderr is not None:
            print(f"desk-app: cannot write the answer: {error.strerror or error}", file=sys.stderr)
        return False
    return True


def _run_reader_command(args: argparse.Namespace) -> int:
    """``desk-app reader read|simulate``: the card as JSON, or a message on stderr."""
    from desk_app.devices import reader_cli

    if args.reader_command == "simulate":
        return reader_cli.simulate_command(args.port, args.person, args.baud)
    code, obj = reader_cli.read_command(args.port, args.baud, args.timeout)
    if code != reader_cli.EXIT_CARD:
        print(f"desk-app: {obj['error']} ({obj['error_en']})", file=sys.stderr)
        return int(code)
    return code if _print_json(obj) else EXIT_OUTPUT_FAILED


_DESK_COMMANDS = frozenset({"status", "items", "decide", "sync", "audit", "training", "report"})


def _run_desk_command(args: argparse.Namespace) -> tuple[int, dict[str, Any]]:
    """Open the desk, run one support command, close it; errors become JSON."""
    from desk_app import support
    from desk_app.app import open_desk

    data_dir = args.data_dir or default_data_dir()
    try:
        desk = open_desk(data_dir, args.platform_url)
    except DeskError as error:
        return support.error_json(error)
    try:
        if args.command == "status":
            return support.status(desk)
        if args.command == "items":
            return support.items(desk)
        if args.command == "decide":
            return support.decide(desk, args.text, args.item, args.amount, args.emergency)
        if args.command == "sync":
            return support.sync(desk)
        if args.command == "audit":
            return support.audit_verify(desk)
        if args.command == "report":
            language = args.language or desk.settings.language
            write_pdf = None
            if args.pdf is not None:
                # Only a PDF needs Qt (its text layout and charts), loaded for it alone.
                from desk_app.ui.report_cli import pdf_writer

                write_pdf = pdf_writer(language)
            return support.report_monthly(
                desk, args.month, args.csv, args.submit, write_pdf, args.pdf, language
            )
        return support.training_residents(desk, args.level)
    except DeskError as error:
        return support.error_json(error)
    finally:
        desk.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``desk-app``.

    Args:
        argv: the arguments after the program name; default ``sys.argv[1:]``.

    Returns:
        The process exit code.
    """
    args = build_parser().parse_args(argv)
    if args.command == "identify":
        code, obj = identify_json(args.text, args.kind, args.today)
        return code if _print_json(obj) else EXIT_OUTPUT_FAILED
    if args.command == "reader":
        return _run_reader_command(args)
    if args.command == "bench":
        # Qt is loaded only by the figures that drive a window.
        from desk_app.ui.bench import run_bench_command

        return run_bench_command(args.quick, args.json, args.child)
    if args.command == "self-check":
        from desk_app.selfcheck import run_checks
        from desk_app.ui.i18n import translations_load

        passed, report = run_checks(translations_load)
        return (EXIT_OK if passed else EXIT_NO) if _print_json(report) else EXIT_OUTPUT_FAILED
    if args.command in _DESK_COMMANDS:
        logging_setup.configure()
        code, obj = _run_desk_command(args)
        return code if _print_json(obj) else EXIT_OUTPUT_FAILED
    # Imported here so that support commands never load Qt.
    from desk_app.ui.app import run_desk

    return run_desk(args.language, args.data_dir, args.platform_url)

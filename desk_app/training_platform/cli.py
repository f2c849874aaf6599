"""``desk-platform``: serve the training platform, list its residents, print its OpenAPI."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from desk_app.training_platform.credit import Level


def build_parser() -> argparse.ArgumentParser:
    """The argument parser."""
    parser = argparse.ArgumentParser(
        prog="desk-platform", description="The training city credit platform."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = sub.add_parser("serve", help="serve the platform over HTTP")
    serve.add_argument("--host", default="127.0.0.1", help="address (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8750, help="port (default 8750)")
    serve.add_argument("--data", type=Path, required=True, help="data folder (SQLite file)")
    serve.add_argument("--seed", type=int, help="seed of the synthetic residents (new data)")
    residents = sub.add_parser("residents", help="print the synthetic residents as JSON lines")
    residents.add_argument("--data", type=Path, required=True, help="data folder")
    residents.add_argument("--level", choices=[lv.value for lv in Level], help="only this level")
    sub.add_parser("openapi", help="print the contract's OpenAPI document")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``desk-platform``; returns the exit code."""
    args = build_parser().parse_args(argv)
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
    if args.command == "serve":
        from desk_app.training_platform.server import serve

        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
        serve(args.data, args.host, args.port, args.seed)
        return 0
    if args.command == "residents":
        from desk_app.training_platform.db import PlatformDb
        from desk_app.training_platform.models import Knobs
        from desk_app.training_platform.service import PlatformService

        service = PlatformService(PlatformDb(args.data), Knobs())
        for row in service.residents(args.level):
            print(json.dumps(row, ensure_ascii=False))
        service.db.close()
        return 0
    from desk_app.training_platform.api import openapi_document

    with tempfile.TemporaryDirectory() as scratch:
        print(json.dumps(openapi_document(Path(scratch)), ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

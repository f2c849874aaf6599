"""Export a report under a file-size limit: a full disk, as the writing process sees it.

Run as ``python -m tests.support.limited_export LIMIT_BYTES PATH``; prints the clerk's
message when the export is refused, and ``written`` when it is not.
"""

from __future__ import annotations

import resource
import signal
import sys
from pathlib import Path

from desk_app.exports import ExportError
from desk_app.services.reports import ItemFigures, MonthlyReport, write_csv


def main() -> None:
    limit, path = int(sys.argv[1]), Path(sys.argv[2])
    # Past the limit, write() fails with EFBIG instead of the process being killed.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    report = MonthlyReport("2026-11", "C-1", tuple(ItemFigures(f"X-{i}") for i in range(50)), ())
    try:
        write_csv(report, path)
    except ExportError as error:
        print(error.message_zh)
        return
    print("written")


if __name__ == "__main__":
    main()

"""Files the clerk exports (CSV, PDF): written whole under the chosen name, or not at all.

Every export goes through :func:`export_file`: the content is written to a partial file
beside the target, checked, synced to disk, then renamed over the target. A failure
says, in the clerk's words, which folder or file and why (missing folder, no permission,
read-only disk, disk full), and leaves nothing behind. A target that exists but is not a
regular file (a device, a pipe) is refused rather than replaced.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Callable
from pathlib import Path

from desk_app.errors import DeskError, Fault

# Why a write failed, in words for the clerk (Chinese, English).
_REASONS = {
    errno.ENOENT: ("文件夹不存在", "the folder does not exist"),
    errno.ENOTDIR: ("路径中有一部分不是文件夹", "part of the path is not a folder"),
    errno.EACCES: ("没有写入权限", "no permission to write there"),
    errno.EPERM: ("没有写入权限", "no permission to write there"),
    errno.EROFS: ("磁盘为只读", "the disk is read-only"),
    errno.ENOSPC: ("磁盘已满", "the disk is full"),
    errno.EDQUOT: ("磁盘配额已满", "the disk quota is full"),
    errno.EFBIG: ("文件超过允许的大小", "the file is larger than allowed"),
    errno.EISDIR: ("这是一个文件夹", "that is a folder"),
}
# A file that is in the way of a folder (…/report.pdf/x.csv): said of that file.
_NOT_A_FOLDER = ("这是一个文件，不是文件夹", "it is a file, not a folder")
# ENOENT from a folder that exists: it takes no new files (/proc, some mounts).
_NO_NEW_FILES = ("此文件夹中不能新建文件", "no new files can be made in this folder")


class ExportError(DeskError):
    """An export could not be written (nothing was left under its name)."""

    fault = Fault.ENVIRONMENT


def _refusal(path: Path, zh: str, en: str) -> ExportError:
    return ExportError(f"无法写入 {path}：{zh}。", f"Cannot write {path}: {en}.")


def reason(error: OSError) -> tuple[str, str]:
    """An OS error's reason in Chinese and English."""
    if error.errno in _REASONS:
        return _REASONS[error.errno]
    text = error.strerror or str(error)
    return text, text


def export_file(
    path: Path,
    produce: Callable[[Path], None],
    complete: Callable[[Path], bool] | None = None,
) -> None:
    """Write an export through a partial file and move it into place.

    Args:
        path: where the clerk wants the file.
        produce: writes the content to the path it is given.
        complete: tells whether the written file is whole (a writer that cannot report
            errors, such as Qt's PDF writer, is checked this way); default: not empty.

    Raises:
        ExportError: the file could not be written; nothing is left under ``path`` or
            beside it that was not there before.
    """
    path = Path(os.path.abspath(path))
    if path.is_dir():
        raise _refusal(path, *_REASONS[errno.EISDIR])
    if path.exists() and not path.is_file():
        raise _refusal(path, "这不是普通文件", "it is not a regular file")
    if not path.parent.is_dir():
        raise _missing_folder(path.parent)
    partial = path.with_name(path.name + ".partial")
    try:
        produce(partial)
        if not (complete or _not_empty)(partial):
            raise OSError(errno.ENOSPC, "incomplete file")
        with partial.open("r+b") as written:
            os.fsync(written.fileno())
        os.replace(partial, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        if error.errno == errno.ENOENT and path.parent.is_dir():
            raise _refusal(path.parent, *_NO_NEW_FILES) from error
        raise _refusal(path, *reason(error)) from error


def _missing_folder(folder: Path) -> ExportError:
    """Why ``folder`` is not there: missing, or a file stands where a folder should."""
    for above in (folder, *folder.parents):
        if above.exists():
            if above.is_dir():
                break
            return _refusal(above, *_NOT_A_FOLDER)
    return _refusal(folder, *_REASONS[errno.ENOENT])


def _not_empty(path: Path) -> bool:
    return path.stat().st_size > 0

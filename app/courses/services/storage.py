"""Attachment files on disk, under STORAGE_DIR/attachments, named by a random token that
the server chooses. Nothing here trusts a name from a user.

Files still being checked (an import's attachments, unpacked from its ZIP) wait in a private
staging folder beside them, which goes with everything left in it once the check is over; a
file that passes is moved into place, never copied."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


def attachments_dir() -> Path:
    path = Path(current_app.config["STORAGE_DIR"]) / "attachments"
    path.mkdir(parents=True, exist_ok=True)
    return path


def new_token() -> str:
    return secrets.token_urlsafe(32)


def path_for(token: str) -> Path:
    if not _TOKEN.match(token):
        raise ValueError("not an attachment token")
    return attachments_dir() / token


def write(token: str, data: bytes) -> Path:
    """Write atomically: a reader never sees half a file."""
    target = path_for(token)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


@dataclass(frozen=True)
class Staged:
    """A file in a staging folder, with the size and SHA-256 counted while it was written."""

    path: Path
    size: int
    sha256: str


@contextmanager
def staging() -> Iterator[Path]:
    """A fresh staging folder; removed, with whatever is still in it, when the block ends."""
    path = Path(tempfile.mkdtemp(dir=attachments_dir(), prefix=".staging-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def adopt(token: str, staged: Staged) -> Path:
    """Move a staged file into place under `token` (atomically: the same file system)."""
    target = path_for(token)
    os.replace(staged.path, target)
    return target


def read(token: str) -> bytes:
    return path_for(token).read_bytes()


def delete(token: str) -> None:
    path_for(token).unlink(missing_ok=True)

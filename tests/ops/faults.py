"""Fault injection helpers for tests: a database that goes away in the middle of a request,
and a full disk. Import them from any test package:

    from tests.ops.faults import database_goes_away, disk_full

    with database_goes_away(app, match="INSERT INTO certificates"):
        response = client.post(...)          # -> 503, nothing written

    with disk_full(app.config["STORAGE_DIR"]) as fault:
        issue(...)                           # every write under STORAGE_DIR: OSError(ENOSPC)
    assert fault.hits                        # the code under test really tried to write
"""

from __future__ import annotations

import builtins
import errno
import io
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event

from app.extensions import db

WRITE_MODES = re.compile(r"[wax+]")


@dataclass
class Fault:
    """What an injected fault hit: the statements or paths it refused."""

    hits: list[str] = field(default_factory=list)


def _current_bind(app: Flask) -> Any:
    """The engine, or in a rolled-back test the connection that stands in for it."""
    with app.app_context():
        return db._app_engines[app][None]  # the `db` fixture swaps it here


@contextmanager
def database_goes_away(app: Flask, match: str = r"^\s*(INSERT|UPDATE|DELETE)\b") -> Iterator[Fault]:
    """Every statement whose SQL matches `match` (a regex, case-insensitive) fails as if the
    server had gone: the driver's own OperationalError, which SQLAlchemy wraps as usual."""
    bind = _current_bind(app)
    pattern = re.compile(match, re.IGNORECASE)
    fault = Fault()

    def fail(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if pattern.search(statement):
            fault.hits.append(statement)
            raise conn.dialect.loaded_dbapi.OperationalError(
                "injected fault: the database server went away"
            )

    event.listen(bind, "before_cursor_execute", fail)
    try:
        yield fault
    finally:
        event.remove(bind, "before_cursor_execute", fail)


def _under(path: Any, root: Path) -> bool:
    try:
        return Path(os.fspath(path)).resolve().is_relative_to(root)
    except (TypeError, ValueError, OSError):
        return False


@contextmanager
def disk_full(directory: str | os.PathLike[str]) -> Iterator[Fault]:
    """Any attempt to write a file under `directory` (open for writing, os.fdopen of a file
    there, os.replace/os.rename into it) raises OSError(ENOSPC), as a full disk does."""
    root = Path(directory).resolve()
    fault = Fault()
    real_open, real_fdopen = builtins.open, os.fdopen
    real_replace, real_rename = os.replace, os.rename

    def refuse(path: Any) -> None:
        fault.hits.append(str(path))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    def open_(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if WRITE_MODES.search(mode) and _under(file, root):
            refuse(file)
        return real_open(file, mode, *args, **kwargs)

    def fdopen(fd: int, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if WRITE_MODES.search(mode) and _under(f"/proc/self/fd/{fd}", root):
            refuse(os.readlink(f"/proc/self/fd/{fd}"))
        return real_fdopen(fd, mode, *args, **kwargs)

    def replace(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        if _under(dst, root):
            refuse(dst)
        real_replace(src, dst, *args, **kwargs)

    def rename(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        if _under(dst, root):
            refuse(dst)
        real_rename(src, dst, *args, **kwargs)

    patch = pytest.MonkeyPatch()
    patch.setattr(builtins, "open", open_)
    patch.setattr(io, "open", open_)
    patch.setattr(os, "fdopen", fdopen)
    patch.setattr(os, "replace", replace)
    patch.setattr(os, "rename", rename)
    try:
        yield fault
    finally:
        patch.undo()

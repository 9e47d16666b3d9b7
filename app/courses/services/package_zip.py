"""Unpacking a course package's ZIP within limits, so that a small upload can never take a
worker's memory or the disk.

Before anything is inflated, what the ZIP declares is checked: how many members, each
member's size and the total, how much larger than its compressed size each member and the
whole upload unpack, no encrypted member and no compression method but stored and deflate.
Declared sizes can lie, so the bytes actually inflated are counted too, member by member
and in all, and a member is refused the moment it yields more than its header declared.
Members are read in chunks: the manifest into memory (it is small), attachments straight to
a staging file whose size and SHA-256 are counted on the way.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from flask import current_app
from flask_babel import gettext as _

from app.courses.services import attachments
from app.courses.services.storage import Staged
from app.errors import ValidationFailed

MANIFEST = "course.json"
CHUNK_BYTES = 64 * 1024
# Below this many bytes unpacked, a high compression ratio is harmless and not refused
# (a small, repetitive course.json compresses well).
RATIO_GRACE_BYTES = 1024 * 1024
# Room a member takes in the central directory, at most: 46 bytes of header, its name
# ("attachments/" and at most 100 characters) and extra fields, generously.
ENTRY_BYTES = 512
_ENCRYPTED = 0x1 | 0x40  # traditional PKWARE encryption, strong encryption
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
# What a damaged member raises while it is inflated (bad CRC, broken deflate data, cut short).
_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError)


def refused(message: str, **details: Any) -> ValidationFailed:
    return ValidationFailed(message, details={"package": details or ["invalid"]})


@dataclass(frozen=True)
class Limits:
    """What a package may hold: config COURSE_IMPORT_* and COURSE_ATTACHMENT_MAX_BYTES."""

    members: int
    total_bytes: int
    manifest_bytes: int
    file_bytes: int
    ratio: int

    @classmethod
    def from_config(cls) -> Limits:
        config = current_app.config
        return cls(
            members=config["COURSE_IMPORT_MAX_MEMBERS"],
            total_bytes=config["COURSE_IMPORT_MAX_TOTAL_BYTES"],
            manifest_bytes=config["COURSE_IMPORT_MAX_MANIFEST_BYTES"],
            file_bytes=attachments.limits()[0],
            ratio=config["COURSE_IMPORT_MAX_RATIO"],
        )

    def member_bytes(self, name: str) -> int:
        return self.manifest_bytes if name == MANIFEST else self.file_bytes

    def within_ratio(self, unpacked: int, packed: int) -> bool:
        return unpacked <= max(packed * self.ratio, RATIO_GRACE_BYTES)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0")


def _too_large(limits: Limits) -> ValidationFailed:
    return refused(
        _(
            "The course package is too large once unpacked (the limit is %(mb)s MB).",
            mb=_megabytes(limits.total_bytes),
        ),
        problem="too_large",
        limit=limits.total_bytes,
    )


def _member_too_large(name: str, limit: int) -> ValidationFailed:
    return refused(
        _(
            "The file %(name)s of the course package is too large (the limit is %(mb)s MB).",
            name=name,
            mb=_megabytes(limit),
        ),
        problem="member_too_large",
        member=name,
        limit=limit,
    )


def _too_compressed(limits: Limits, name: str | None = None) -> ValidationFailed:
    where = {"member": name} if name is not None else {}
    return refused(
        _(
            "The course package unpacks to more than %(n)s times its size, which no real "
            "course does.",
            n=limits.ratio,
        ),
        problem="ratio",
        limit=limits.ratio,
        **where,
    )


class Package:
    """An opened package ZIP whose declared sizes are within the limits."""

    def __init__(self, upload: IO[bytes], limits: Limits) -> None:
        self.limits = limits
        self._left = limits.total_bytes  # bytes the whole package may still inflate to
        size = upload.seek(0, os.SEEK_END)
        upload.seek(0)
        self._check_directory(upload)
        try:
            self.archive = zipfile.ZipFile(upload)
        except (zipfile.BadZipFile, ValueError, EOFError, NotImplementedError) as exc:
            raise refused(_("This is not a course package (a ZIP file).")) from exc
        try:
            self.members = self._checked(self.archive.infolist(), size)
        except BaseException:
            self.archive.close()
            raise

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.archive.close()

    def _check_directory(self, upload: IO[bytes]) -> None:
        """ZipFile parses the whole central directory before its members can be counted
        (200,000 empty members fit in 16 MiB: seconds of work); the directory's size, read
        from the end record exactly as ZipFile reads it, bounds that work first."""
        try:
            end = zipfile._EndRecData(upload)
        except (zipfile.BadZipFile, ValueError, EOFError, OSError) as exc:  # e.g. split ZIP64
            raise refused(_("This is not a course package (a ZIP file).")) from exc
        upload.seek(0)
        if end is None:
            raise refused(_("This is not a course package (a ZIP file)."))
        entries = end[zipfile._ECD_ENTRIES_TOTAL]
        directory = end[zipfile._ECD_SIZE]
        if entries > self.limits.members or directory > self.limits.members * ENTRY_BYTES:
            raise self._too_many_members()

    def _too_many_members(self) -> ValidationFailed:
        return refused(
            _("The course package holds more than %(n)s files.", n=self.limits.members),
            problem="too_many_members",
            limit=self.limits.members,
        )

    def _checked(self, infos: list[zipfile.ZipInfo], upload_size: int) -> dict[str, Any]:
        limits = self.limits
        if len(infos) > limits.members:
            raise self._too_many_members()
        for info in infos:
            if info.flag_bits & _ENCRYPTED:
                raise refused(
                    _(
                        "The course package holds encrypted files. "
                        "Export it again without a password."
                    ),
                    problem="encrypted",
                    member=info.filename,
                )
            if info.compress_type not in _METHODS:
                raise refused(
                    _(
                        "The course package uses a compression method Kompeten does not "
                        "read. Save it as an ordinary ZIP file."
                    ),
                    problem="compression_method",
                    member=info.filename,
                    method=info.compress_type,
                )
            if info.file_size > limits.member_bytes(info.filename):
                raise _member_too_large(info.filename, limits.member_bytes(info.filename))
            if not limits.within_ratio(info.file_size, info.compress_size):
                raise _too_compressed(limits, info.filename)
        total = sum(info.file_size for info in infos)
        if total > limits.total_bytes:
            raise _too_large(limits)
        # The upload's real size, not the compressed sizes the members declare.
        if not limits.within_ratio(total, upload_size):
            raise _too_compressed(limits)
        return {info.filename: info for info in infos}

    def inflate(self, info: zipfile.ZipInfo) -> Iterator[bytes]:
        """The member's bytes, chunk by chunk, counted as they are inflated."""
        inflated = 0
        with _damaged(info.filename), self.archive.open(info) as member:
            while chunk := member.read(CHUNK_BYTES):
                inflated += len(chunk)
                if inflated > info.file_size:
                    raise refused(
                        _("The course package is damaged: a file is larger than it declares."),
                        problem="size_mismatch",
                        member=info.filename,
                    )
                self._left -= len(chunk)
                if self._left < 0:
                    raise _too_large(self.limits)
                yield chunk

    def read(self, info: zipfile.ZipInfo) -> bytes:
        return b"".join(self.inflate(info))

    def unpack(self, info: zipfile.ZipInfo, staging: Path) -> Staged:
        """The member written to a new file in `staging`, never whole in memory."""
        fd, name = tempfile.mkstemp(dir=staging)
        digest, size = hashlib.sha256(), 0
        with os.fdopen(fd, "wb") as out:
            for chunk in self.inflate(info):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        return Staged(path=Path(name), size=size, sha256=digest.hexdigest())


@contextmanager
def _damaged(name: str) -> Iterator[None]:
    try:
        yield
    except _DAMAGED as exc:
        raise refused(_("The course package is damaged."), problem="damaged", member=name) from exc

"""Reading the audit trail: who may see which events, filters, pages and the CSV export."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, select

from app import csvsafe
from app.audit.models import AuditEvent
from app.extensions import db

PER_PAGE = 50
MAX_PER_PAGE = 200
CSV_COLUMNS = (
    "id",
    "at",
    "action",
    "actor_id",
    "actor_email",
    "institution_id",
    "target_type",
    "target_id",
    "ip",
    "before",
    "after",
    "reason",
)


# How actions are named (`auth.login`), or a prefix of them ending in a dot (`auth.`).
ACTION_PATTERN = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*\.?")
ACTION_MAX_LENGTH = 60


def well_formed_action(value: str) -> bool:
    return len(value) <= ACTION_MAX_LENGTH and ACTION_PATTERN.fullmatch(value) is not None


def matches_known_action(value: str, known: Iterable[str]) -> bool:
    """`value` names a known action, or is a prefix ending in `.` of at least one."""
    if value.endswith("."):
        return any(action.startswith(value) for action in known)
    return value in set(known)


@dataclass(frozen=True)
class AuditFilter:
    action: str | None = None
    since: date | None = None
    until: date | None = None


def events_query(scope_institution_id: int | None, flt: AuditFilter) -> Select[tuple[AuditEvent]]:
    """Events newest first. `scope_institution_id` None means every institution's."""
    query = select(AuditEvent)
    if scope_institution_id is not None:
        query = query.where(AuditEvent.institution_id == scope_institution_id)
    if flt.action:
        action = flt.action.strip()
        if action.endswith("."):
            query = query.where(AuditEvent.action.startswith(action, autoescape=True))
        else:
            query = query.where(AuditEvent.action == action)
    if flt.since:
        query = query.where(AuditEvent.at >= datetime.combine(flt.since, time.min, tzinfo=UTC))
    if flt.until and flt.until < date.max:  # the last day there is bounds nothing
        end = datetime.combine(flt.until + timedelta(days=1), time.min, tzinfo=UTC)
        query = query.where(AuditEvent.at < end)
    return query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())


def page_of(query: Select[tuple[AuditEvent]], page: int, per_page: int = PER_PAGE) -> Pagination:
    """One page of `query` (Flask-SQLAlchemy's paginator: items, page, per_page, total; a
    page past the last is empty, never a 404)."""
    return db.paginate(
        query, page=max(1, page), per_page=per_page, max_per_page=MAX_PER_PAGE, error_out=False
    )


def known_actions(scope_institution_id: int | None) -> list[str]:
    query = select(AuditEvent.action).distinct().order_by(AuditEvent.action)
    if scope_institution_id is not None:
        query = query.where(AuditEvent.institution_id == scope_institution_id)
    return list(db.session.scalars(query))


def in_batches(query: Select[tuple[AuditEvent]], size: int = 500) -> Iterator[AuditEvent]:
    """Every event of `query`, newest id first, fetched `size` at a time by keyset: the export
    streams a long log without holding a cursor open or the whole log in memory."""
    query = query.order_by(None).order_by(AuditEvent.id.desc())
    last_id: int | None = None
    while True:
        batch = query if last_id is None else query.where(AuditEvent.id < last_id)
        rows = list(db.session.scalars(batch.limit(size)))
        yield from rows
        if len(rows) < size:
            return
        last_id = rows[-1].id


def csv_lines(events: Iterable[AuditEvent]) -> Iterator[str]:
    """The CSV export, one line at a time."""
    rows = ([getattr(event, column) for column in CSV_COLUMNS] for event in events)
    return csvsafe.csv_lines(CSV_COLUMNS, rows)

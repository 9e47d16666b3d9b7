"""Audit pages: the log with filters and pages, and its CSV export. Read-only: the app has
no route that edits or deletes an event."""

from __future__ import annotations

from flask import Response, abort, render_template, request, stream_with_context
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.audit import bp
from app.audit.forms import AuditFilterForm
from app.audit.permissions import audit_scope, can_view_audit
from app.audit.queries import (
    AuditFilter,
    csv_lines,
    events_query,
    in_batches,
    known_actions,
    page_of,
)
from app.db import utcnow
from app.security import require_roles

VIEW_ROLES = ("institution_admin", "admin")
FILTER_ARGS = ("action", "since", "until")  # only these go back into links


def _load_filter() -> tuple[AuditFilterForm, AuditFilter, int]:
    if not can_view_audit(current_user):
        abort(403)
    form = AuditFilterForm(request.args)
    scope = audit_scope(current_user)
    form.action.choices = [("", "—")] + [(a, a) for a in known_actions(scope)]
    if not form.validate():
        return form, AuditFilter(), 1
    flt = AuditFilter(action=form.action.data or None, since=form.since.data, until=form.until.data)
    return form, flt, form.page.data or 1


def _index_page(form: AuditFilterForm, flt: AuditFilter, page: int) -> tuple[str, int]:
    result = page_of(events_query(audit_scope(current_user), flt), page)
    args = {} if form.errors else {k: request.args[k] for k in FILTER_ARGS if request.args.get(k)}
    status = 200 if not form.errors else 422
    return render_template("audit/index.html", form=form, page=result, args=args), status


@bp.route("/audit")
@require_roles(*VIEW_ROLES)
def index() -> ResponseReturnValue:
    return _index_page(*_load_filter())


@bp.route("/audit/export.csv")
@require_roles(*VIEW_ROLES)
def export_csv() -> ResponseReturnValue:
    form, flt, page = _load_filter()
    if form.errors:  # refused before any row is read: the stream never starts
        return _index_page(form, flt, page)
    events = in_batches(events_query(audit_scope(current_user), flt))
    filename = f"audit-{utcnow():%Y%m%d-%H%M%S}.csv"
    return Response(
        stream_with_context(csv_lines(events)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )

"""Outcome dashboards with SVG charts, and every table as CSV."""

from __future__ import annotations

from flask import Response, abort, render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.csvsafe import to_csv
from app.placement import bp
from app.placement.charts import bar_chart
from app.placement.permissions import can_see_dashboard, dashboard_scope
from app.placement.services import dashboard as figures
from app.placement.services.dashboard import Dashboard
from app.placement.services.survey import response_rates
from app.security import require_roles

COLUMNS = (
    "label",
    "enrolments",
    "completions",
    "pass_rate",
    "certificates",
    "respondents",
    "employment_rate",
    "months_to_job",
)


def _dashboard() -> tuple[int | None, Dashboard]:
    if not can_see_dashboard(current_user):
        abort(403)
    scope = dashboard_scope(current_user)
    return scope, figures.compute(scope)


@bp.route("/dashboard")
@require_roles("institution_admin", "admin")
def dashboard() -> ResponseReturnValue:
    scope, data = _dashboard()
    charts = {
        grouping: bar_chart(
            _("Employment rate"),
            [(f.label, f.employment_rate) for f in data.groups[grouping]],
        )
        for grouping in figures.GROUPINGS
    }
    return render_template(
        "placement/dashboard.html",
        data=data,
        charts=charts,
        rates=response_rates(scope),
        columns=COLUMNS,
    )


@bp.route("/dashboard/<grouping>.csv")
@require_roles("institution_admin", "admin")
def dashboard_csv(grouping: str) -> ResponseReturnValue:
    scope, data = _dashboard()
    if grouping == "response-rates":
        body = to_csv(
            ("wave_months", "sent", "answered", "rate"),
            [(r["wave"], r["sent"], r["answered"], r["rate"]) for r in response_rates(scope)],
        )
    elif grouping == "blk-komunitas":
        blk = data.blk_komunitas
        body = to_csv(
            ("respondents", "self_employed", "self_employment_rate"),
            [(blk.respondents, blk.self_employed, blk.self_employment_rate)],
        )
    elif grouping in figures.GROUPINGS:
        rows = figures.group_rows(data, grouping)
        body = to_csv(COLUMNS, [[row[c] for c in COLUMNS] for row in rows])
    else:
        abort(404)
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="outcomes-{grouping}.csv"'},
    )

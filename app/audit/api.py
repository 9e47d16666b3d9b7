"""JSON API: the audit trail, read-only, for institution admins (their institution's events)
and platform admins (every event)."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask.views import MethodView
from flask_babel import gettext as _

from app.api import BEARER, ApiBlueprint, ErrorSchema, current_api_user, token_required
from app.audit.permissions import audit_scope, can_view_audit
from app.audit.queries import AuditFilter, events_query, page_of
from app.audit.schemas import AuditPageSchema, AuditQuerySchema
from app.errors import Forbidden

blp = ApiBlueprint("audit_api", __name__, url_prefix="/api/v1/audit", description="Audit trail")


@blp.route("")
class AuditEvents(MethodView):
    @blp.doc(security=BEARER)
    @token_required("institution_admin", "admin")
    @blp.arguments(AuditQuerySchema, location="query", unknown=ma.RAISE)
    @blp.response(200, AuditPageSchema)
    @blp.alt_response(401, schema=ErrorSchema, description="No valid token")
    @blp.alt_response(403, schema=ErrorSchema, description="Not an admin")
    @blp.alt_response(422, schema=ErrorSchema, description="Invalid filter")
    def get(self, args: dict) -> dict[str, Any]:
        """Audit events, newest first, filtered by action and day."""
        user = current_api_user()
        if not can_view_audit(user):
            raise Forbidden(_("Your account may not do this."))
        flt = AuditFilter(
            action=args.get("action"), since=args.get("since"), until=args.get("until")
        )
        page = page_of(events_query(audit_scope(user), flt), args["page"], args["per_page"])
        return {
            "items": page.items,
            "page": page.page,
            "per_page": page.per_page,
            "total": page.total,
        }

"""JSON API: competency units (SKKNI), readable by anyone, maintained by staff."""

from __future__ import annotations

from flask.views import MethodView

from app.api import BEARER, current_api_user, token_required
from app.courses import permissions
from app.courses import units_api as blp
from app.courses.schemas import (
    CourseUploadSchema,
    UnitArgsSchema,
    UnitDetailSchema,
    UnitImportResultSchema,
    UnitInputSchema,
    UnitPageSchema,
    UnitUpdateSchema,
)
from app.courses.services import units

MAINTAINERS = ("instructor", "institution_admin", "admin")


@blp.route("")
class Units(MethodView):
    @blp.arguments(UnitArgsSchema, location="query")
    @blp.response(200, UnitPageSchema)
    @blp.alt_response(422, description="Invalid query parameters")
    def get(self, args: dict):
        """Search units by code or title."""
        page = units.search_units(args["q"], args["page"])
        return {
            "items": page.items,
            "total": page.total,
            "page": page.page,
            "pages": max(page.pages, 1),  # an empty result is one empty page
        }

    @blp.doc(security=BEARER)
    @token_required(*MAINTAINERS)
    @blp.arguments(UnitInputSchema)
    @blp.response(201, UnitDetailSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(403, description="Not an instructor or admin")
    @blp.alt_response(409, description="A unit with this code exists")
    @blp.alt_response(422, description="Invalid body, e.g. a malformed unit code")
    def post(self, body: dict):
        """Add a unit."""
        permissions.ensure_can_maintain_units(current_api_user())
        unit = units.create_unit(current_api_user(), **body)
        return unit


@blp.route("/<int:unit_id>")
class UnitItem(MethodView):
    @blp.response(200, UnitDetailSchema)
    @blp.alt_response(404, description="No such unit")
    def get(self, unit_id: int):
        """One unit with its elements and KUK."""
        return units.get_unit(unit_id)

    @blp.doc(security=BEARER)
    @token_required(*MAINTAINERS)
    @blp.arguments(UnitUpdateSchema, required=False)
    @blp.response(200, UnitDetailSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(403, description="Maintained by another institution")
    @blp.alt_response(404, description="No such unit")
    @blp.alt_response(422, description="Invalid body")
    def patch(self, body: dict, unit_id: int):
        """Change a unit's titles or elements (its code never changes)."""
        unit = units.get_unit(unit_id)
        permissions.ensure_can_edit_unit(current_api_user(), unit)
        unit = units.update_unit(current_api_user(), unit, **body)
        return unit


@blp.route("/import")
class UnitImport(MethodView):
    @blp.doc(security=BEARER)
    @token_required(*MAINTAINERS)
    @blp.arguments(CourseUploadSchema, location="files")
    @blp.response(200, UnitImportResultSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(403, description="Not a maintainer, or units of another institution")
    @blp.alt_response(422, description="Bad CSV: the rows at fault are listed in details")
    def post(self, files: dict):
        """Import units from a CSV file (code,title_id,title_en,element,criterion); all or
        nothing."""
        user = current_api_user()
        permissions.ensure_can_maintain_units(user)
        plan = units.read_units_csv(files["file"].read())
        permissions.ensure_can_edit_units(user, plan.existing.values())
        report = units.import_units(user, plan)
        return {"created": report.created, "updated": report.updated}

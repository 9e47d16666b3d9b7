"""The employment survey, answered from the e-mailed link without logging in."""

from __future__ import annotations

from flask import render_template, request
from flask.typing import ResponseReturnValue

from app.errors import AppError
from app.extensions import limiter
from app.forms import form_error
from app.placement import survey_bp
from app.placement.forms import SurveyForm
from app.placement.services import survey as service


@survey_bp.route("/<token>", methods=["GET", "POST"])
@limiter.limit("30 per minute")
def answer(token: str) -> ResponseReturnValue:
    found = service.survey_for_token(token)  # 404 for a link that is not ours
    try:
        service.check_open(found)
    except AppError as error:
        return render_template("placement/survey_closed.html", message=error.message), error.status
    form = SurveyForm()
    if form.validate_on_submit():
        try:
            service.answer(
                token,
                status=form.status.data,
                employer_name=form.employer_name.data,
                sector=form.sector.data or None,
                wage_band=form.wage_band.data or None,
                months_to_job=form.months_to_job.data,
                relevance=int(form.relevance.data),
            )
        except AppError as error:
            form_error(form, error)
        else:
            return render_template("placement/survey_thanks.html")
    status = 422 if request.method == "POST" else 200
    return render_template("placement/survey.html", form=form, survey=found), status

"""The published OpenAPI document tells the truth about what the server accepts (issue 11,
item 15): every integer carries the bounds of the 32-bit column behind it, and a request
body is documented as required exactly when it has a required field (an absent body is
read as `{}`, so a body of optional fields only may be left out)."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint as SmorestBlueprint

from app.api import ApiBlueprint
from app.ops.guards import INTEGER_MAX

# flask-smorest's own pagination header schema: output only, never loaded.
FOREIGN = {"PaginationMetadata"}


def _integers(node: Any, path: str = "") -> list[tuple[str, dict]]:
    found = []
    if isinstance(node, dict):
        if node.get("type") == "integer":
            found.append((path, node))
        for key, value in node.items():
            found.extend(_integers(value, f"{path}/{key}"))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_integers(value, f"{path}[{index}]"))
    return found


def _spec(client) -> dict:
    return client.get("/api/v1/openapi.json").get_json()


def test_every_integer_is_published_with_the_bounds_of_its_column(client, db):
    spec = _spec(client)
    schemas = {k: v for k, v in spec["components"]["schemas"].items() if k not in FOREIGN}
    integers = _integers(schemas, "#/components/schemas") + _integers(spec["paths"], "paths")
    assert len(integers) > 150
    unbounded = [
        path
        for path, node in integers
        if not (-INTEGER_MAX - 1 <= node.get("minimum", -(2**63)) <= node.get("maximum", 2**63))
        or node.get("maximum", 2**63) > INTEGER_MAX
    ]
    assert unbounded == []


def _required_fields(spec: dict, body: dict) -> list[str]:
    content = body["content"]
    schema = next(iter(content.values()))["schema"]
    if "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema.get("required", [])


def test_a_body_is_documented_as_required_exactly_when_it_has_a_required_field(client, db):
    spec = _spec(client)
    wrong = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            body = operation.get("requestBody") if isinstance(operation, dict) else None
            if body is None or path.startswith("/oauth/"):
                continue
            if bool(body.get("required")) != bool(_required_fields(spec, body)):
                wrong.append(f"{method.upper()} {path}")
    assert wrong == []


def test_an_absent_body_with_required_fields_is_a_422_naming_them(client, db):
    for extra in ({}, {"data": "", "content_type": "application/json"}):
        response = client.post("/api/v1/auth/tokens", **extra)
        assert response.status_code == 422
        error = response.get_json()["error"]
        assert error["code"] == "validation_failed"
        assert error["details"] == {
            "json": {
                "email": ["Missing data for required field."],
                "password": ["Missing data for required field."],
            }
        }


def test_every_api_answers_a_body_it_cannot_parse_with_the_envelope(client, db):
    """An integer past Python's 4,300-digit bound and a body nested 100,000 deep were 500s on
    every JSON API but the VC-API; app.api.ApiBlueprint's parser answers both with a 400."""
    huge = '{"email": "a@b.id", "password": ' + "1" * 5_000 + "}"
    deep = "[" * 100_000 + "]" * 100_000
    for body, detail in (
        (huge, "Exceeds the limit (4300 digits) for integer string conversion: value has 5000 "
         "digits"),
        (deep, "The JSON is nested too deeply."),
    ):  # fmt: skip
        response = client.post("/api/v1/auth/tokens", data=body, content_type="application/json")
        assert response.status_code == 400
        error = response.get_json()["error"]
        assert error["code"] == "bad_request"
        assert error["details"] == {"json": [detail]}


def test_every_api_blueprint_parses_with_the_one_parser(app):
    smorest = [bp for bp in app.blueprints.values() if isinstance(bp, SmorestBlueprint)]
    assert len(smorest) >= 10
    assert [bp.name for bp in smorest if not isinstance(bp, ApiBlueprint)] == []

"""The OpenAPI schema and the documentation page."""

from __future__ import annotations

import json

EXPECTED_PATHS = {
    "/api/v1/states", "/api/v1/states/{code}", "/api/v1/states/{code}/participation",
    "/api/v1/states/{code}/profile", "/api/v1/instruments", "/api/v1/instruments/{code}",
    "/api/v1/authorities", "/api/v1/authorities.csv", "/api/v1/authorities/{id}",
    "/api/v1/finder",
    "/api/v1/requests", "/api/v1/requests/{id}", "/api/v1/requests/{id}/completeness",
    "/api/v1/requests/{id}/submit", "/api/v1/requests/{id}/comments",
    "/api/v1/requests/{id}/return", "/api/v1/requests/{id}/approve",
    "/api/v1/requests/{id}/translation", "/api/v1/requests/{id}/document.{fmt}",
    "/api/v1/questionnaires", "/api/v1/questionnaires/{code}/versions/{number}",
    "/api/v1/cycles", "/api/v1/cycles/{id}", "/api/v1/responses", "/api/v1/responses/{id}",
}
# Only the request writer's drafts are written through the API.
WRITABLE = "/api/v1/requests"


def test_the_openapi_schema_is_served_with_every_path(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Palermo API" and schema["info"]["version"] == "1"
    assert set(schema["paths"]) == EXPECTED_PATHS


def test_the_schema_has_no_duplicate_keys(client, db):
    """JSON parsers keep the last of two equal keys; YAML parsers (Swagger UI) refuse them."""

    def refuse_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
        keys = [key for key, _value in pairs]
        assert len(keys) == len(set(keys)), keys
        return dict(pairs)

    json.loads(client.get("/api/v1/openapi.json").content, object_pairs_hook=refuse_duplicates)


def test_every_operation_is_described_and_typed(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    for path, methods in schema["paths"].items():
        if not path.startswith(WRITABLE):
            assert set(methods) == {"get"}, path
        for method, operation in methods.items():
            assert operation["summary"] and len(operation["description"]) > 40, path
            ok = operation["responses"]["200"]["content"]
            media_type, content = next(iter(ok.items()))
            if path.endswith(".csv"):
                assert media_type == "text/csv"
            elif path.endswith(".{fmt}"):
                assert set(ok) == {"application/pdf", "application/vnd.openxmlformats-"
                                   "officedocument.wordprocessingml.document"}
            else:
                assert media_type == "application/json"
                assert "$ref" in json.dumps(content["schema"]), path
            if method == "get":
                assert "304" in operation["responses"], path
            if "{" in path:
                assert operation["responses"]["404"]["content"], path
            for parameter in operation.get("parameters", []):
                assert parameter.get("description"), (path, parameter["name"])


def test_the_csv_columns_are_documented(client, db):
    from palermo.api.directory import CSV_COLUMNS

    schema = client.get("/api/v1/openapi.json").json()
    description = schema["paths"]["/api/v1/authorities.csv"]["get"]["description"]
    for column in CSV_COLUMNS:
        assert f"`{column}`" in description


def test_translated_fields_are_objects_with_the_six_languages(client, db):
    names = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["Names"]
    assert names["required"] == ["ar", "zh-hans", "en", "fr", "ru", "es"]


def test_the_docs_page_loads_its_scripts_from_our_own_origin(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert client.get("/static/ninja/swagger-ui-init.js").status_code == 200


def test_the_schema_documents_tokens_sessions_and_anonymous_access(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    assert schemes["BearerToken"]["type"] == "http" and schemes["BearerToken"]["scheme"] == "bearer"
    assert schemes["Session"] == {
        "type": "apiKey", "in": "cookie", "name": "sessionid",
        "description": "Signed in on the site: the browser's session cookie."}
    assert "Authorization: Bearer" in schema["info"]["description"]
    for path, methods in schema["paths"].items():
        for operation in methods.values():
            assert operation["security"] == [{"BearerToken": []}, {"Session": []}, {}], path
            assert operation["responses"]["401"]["content"], path

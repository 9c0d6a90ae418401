"""Security headers: our scripts and styles only, no framing, nothing cached but static files."""

from fastapi.testclient import TestClient

from limbsalvage.web.headers import SECURITY_HEADERS


def test_pages_and_api_are_not_cached_and_carry_the_headers(client: TestClient) -> None:
    for path in ("/staging/wifi", "/api/v1/systems", "/healthz", "/nowhere"):
        response = client.get(path)
        for name, value in SECURITY_HEADERS.items():
            assert response.headers[name] == value
        assert response.headers["cache-control"] == "no-store"


def test_static_files_may_be_cached(client: TestClient) -> None:
    response = client.get("/static/app.css")
    assert response.status_code == 200
    assert "cache-control" not in response.headers
    assert "script-src 'self'" in response.headers["content-security-policy"]


def test_pages_have_no_inline_script_or_style(client: TestClient) -> None:
    page = client.get("/staging/wifi").text
    assert "<script>" not in page
    assert " style=" not in page
    assert "<style" not in page

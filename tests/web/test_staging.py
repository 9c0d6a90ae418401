"""The staging page: findings in, each grade with its rule, source and what is missing."""

import re

from fastapi.testclient import TestClient

from limbsalvage.core.registry import SYSTEMS

HTMX = {"hx-request": "true"}


def test_staging_redirects_to_wifi(client: TestClient) -> None:
    response = client.get("/staging", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/staging/wifi"


def test_every_system_has_a_form_with_labelled_fields(client: TestClient) -> None:
    for name, system in SYSTEMS.items():
        page = client.get(f"/staging/{name}").text
        assert f"<h2>{system.title}</h2>" in page
        for spec in system.fields:
            if spec.multiple:
                assert f'<fieldset class="field multi" id="f-{spec.name}"' in page
            else:
                assert f'<label for="f-{spec.name}">' in page
                assert f'id="f-{spec.name}" name="{spec.name}"' in page
        assert "Enter findings to stage the limb." in page


def test_findings_give_the_grades_rule_and_source(client: TestClient) -> None:
    response = client.post(
        "/staging/wifi",
        data={"wound_grade": "2", "toe_pressure_mmhg": "35", "infection_grade": "1", "abi": ""},
        headers=HTMX,
    )
    assert response.status_code == 200
    panel = response.text
    assert "<!doctype html>" not in panel  # htmx gets the panel alone
    assert "<dt>clinical stage</dt><dd>4</dd>" in panel
    assert "<dt>ischemia grade</dt><dd>2</dd>" in panel
    assert "<strong>ischemia:</strong> toe pressure measured" in panel
    assert "stage table gives high 1-year amputation risk" in panel
    assert "Mills JL Sr" in panel
    assert "<code>toe_pressure_mmhg</code> = 35.0" in panel
    assert "wifi-clinical-stage@2014.2" in panel
    assert "<dt>worst wound</dt>" not in panel  # empty values are not shown


def test_what_is_missing_is_named_beside_the_field(client: TestClient) -> None:
    response = client.post("/staging/wifi", data={"wound_grade": "2"}, headers=HTMX)
    panel = response.text
    assert "Not staged yet" in panel
    assert "give the ischemia grade or a perfusion measurement" in panel
    assert '<a href="#f-ischemia_grade"><code>ischemia_grade</code></a>: missing' in panel
    assert re.search(r'id="err-ischemia_grade" hx-swap-oob="true">missing</p>', panel)
    assert re.search(r'id="err-wound_grade" hx-swap-oob="true"></p>', panel)


def test_a_value_not_allowed_keeps_what_was_typed(client: TestClient) -> None:
    # Without scripts the form posts and the whole page comes back with the values kept.
    response = client.post("/staging/wifi", data={"wound_grade": "7", "abi": "zero point five"})
    page = response.text
    assert response.status_code == 200
    assert 'value="7"' in page
    assert 'value="zero point five"' in page
    assert 'aria-invalid="true"' in page
    assert "expected a finite number" in page


def test_flags_choices_and_checkboxes(client: TestClient) -> None:
    response = client.post(
        "/staging/ceap",
        data={"clinical_signs": ["varicose_veins", "active_venous_ulcer"], "symptomatic": "yes"},
    )
    page = response.text
    assert "<dt>clinical class</dt><dd>C6</dd>" in page
    assert re.search(r'value="active_venous_ulcer"\s+checked>', page)
    assert not re.search(r'value="healed_venous_ulcer"\s+checked>', page)
    assert '<option value="yes" selected>' in page
    response = client.post("/staging/fontaine", data={"symptom": "ulcer"}, headers=HTMX)
    assert "<dt>stage</dt><dd>IV</dd>" in response.text


def test_an_empty_form_asks_for_findings(client: TestClient) -> None:
    response = client.post("/staging/glass", data={"unknown": "x"}, headers=HTMX)
    assert "Enter findings to stage the limb." in response.text


def test_unknown_system_page_is_a_404_page(client: TestClient) -> None:
    response = client.get("/staging/nosuch", headers={"accept": "text/html"})
    assert response.status_code == 404
    assert "unknown classification system" in response.text


def test_home_links_every_system(client: TestClient) -> None:
    page = client.get("/").text
    for name in SYSTEMS:
        assert f'href="/staging/{name}"' in page

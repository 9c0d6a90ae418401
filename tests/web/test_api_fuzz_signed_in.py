"""Bounded Schemathesis fuzzing of the whole API as a signed-in clinician: no 500 (issue 6).

The database is a throw-away SQLite file seeded with two sites, users and patients; every
request carries the clinician's session cookie and CSRF token, so the patient routes are
exercised past the access check; ids in the path are the seeded records'.
"""

import atexit
import shutil
import tempfile
from pathlib import Path

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from limbsalvage.db.engine import make_engine
from limbsalvage.db.migrate import upgrade_database
from limbsalvage.settings import Settings
from limbsalvage.web.app import OPENAPI_URL, create_app
from tests.support.web import seed, sign_in
from tests.web.test_api_fuzz import CHECKS

_DIRECTORY = Path(tempfile.mkdtemp(prefix="limbsalvage-fuzz-"))
atexit.register(shutil.rmtree, _DIRECTORY, ignore_errors=True)
_ENGINE = make_engine(f"sqlite:///{_DIRECTORY / 'fuzz.sqlite3'}")
upgrade_database(_ENGINE)
IDS = seed(_ENGINE).ids["north"]
APP = create_app(Settings(env="demo"), engine=_ENGINE)
with TestClient(APP) as _client:
    CSRF = sign_in(_client, "clinician")
    COOKIES = {"limbsalvage_session": _client.cookies["limbsalvage_session"]}
schema = schemathesis.openapi.from_asgi(OPENAPI_URL, APP)


@schema.include(path_regex="^/api/v1/(?!classify|systems|openapi)").parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_signed_in_api_fuzz(case: schemathesis.Case) -> None:
    # Ids in the path name the seeded records, so the generated bodies reach the services
    # (random ids would mostly stop at a 404).
    for name in case.path_parameters or {}:
        if name in IDS:
            case.path_parameters[name] = int(IDS[name])
    case.call_and_validate(checks=CHECKS, headers={"x-csrf-token": CSRF}, cookies=COOKIES)

"""`GET /healthz`: 200 once the app is ready, with the database checked when there is one."""

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from limbsalvage import __version__
from limbsalvage.web.auth import public
from limbsalvage.web.errors import ErrorResponse, error_body

router = APIRouter(tags=["health"])


class Health(BaseModel):
    """Ready: the version and the state of the database (`none` when the app has none)."""

    status: str
    version: str
    database: str


@router.get(
    "/healthz",
    dependencies=[Depends(public)],
    summary="Readiness",
    response_model=Health,
    responses={503: {"model": ErrorResponse, "description": "not ready"}},
)
def healthz(request: Request) -> Health | JSONResponse:
    """200 when ready; 503 with the error shape when the database does not answer."""
    engine: Engine | None = request.app.state.engine
    if engine is None:
        return Health(status="ok", version=__version__, database="none")
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        body = error_body(503, "unavailable", "the database does not answer")
        return JSONResponse(body, status_code=503)
    return Health(status="ok", version=__version__, database="ok")

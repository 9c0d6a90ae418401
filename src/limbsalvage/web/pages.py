"""Pages that are not about one domain: the home page."""

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from limbsalvage.core.registry import SYSTEMS
from limbsalvage.web.auth import optional_sign_in

router = APIRouter(include_in_schema=False, dependencies=[Depends(optional_sign_in)])


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    """What the program offers, with links."""
    templates = request.app.state.templates
    response: HTMLResponse = templates.TemplateResponse(
        request, "home.html", {"systems": list(SYSTEMS.values())}
    )
    return response

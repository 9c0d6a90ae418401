"""Pages that are not about one domain: the home page."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from limbsalvage.core.registry import SYSTEMS

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    """What the program offers, with links."""
    templates = request.app.state.templates
    response: HTMLResponse = templates.TemplateResponse(
        request, "home.html", {"systems": list(SYSTEMS.values())}
    )
    return response

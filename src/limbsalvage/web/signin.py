"""Sign-in and sign-out pages: throttled, CSRF-protected, cookies HttpOnly and SameSite."""

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from limbsalvage.accounts.models import ThrottlePurpose
from limbsalvage.accounts.permissions import Permission, Principal
from limbsalvage.accounts.service import (
    authenticate,
    clear_throttle_events,
    end_session,
    principal_for,
    record_throttle_event,
    start_session,
    throttle_wait,
)
from limbsalvage.errors import Unauthenticated
from limbsalvage.web.auth import (
    ANONYMOUS_CSRF_COOKIE,
    Database,
    SignedIn,
    anonymous_csrf_token,
    check_anonymous_csrf,
    public,
    session_cookie_name,
    signed_in,
)
from limbsalvage.web.errors import error_response

router = APIRouter(include_in_schema=False)


def safe_next(target: str | None) -> str:
    """A local path to return to after sign-in; anything else goes to the worklist."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/worklist"


def landing(target: str, principal: Principal) -> str:
    """Where a sign-in goes: `target`, unless it is the default worklist the role cannot open."""
    if target != "/worklist" or principal.can(Permission.CLINICAL_READ):
        return target
    if principal.can(Permission.AGGREGATE_READ):
        return "/dashboard"  # analysts: aggregate data only
    if principal.can(Permission.USERS_MANAGE):
        return "/admin/users"
    return "/"


def _signin_page(
    request: Request, *, next_path: str, email: str = "", message: str = "", status: int = 200
) -> Response:
    token = anonymous_csrf_token(request)
    context = {"next": next_path, "email": email, "message": message, "csrf": token}
    response: Response = request.app.state.templates.TemplateResponse(
        request, "signin.html", context, status_code=status
    )
    response.set_cookie(
        ANONYMOUS_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=request.app.state.settings.secure_cookies,
        path="/",
    )
    return response


@router.get("/signin", response_class=HTMLResponse, dependencies=[Depends(public)])
def signin_form(request: Request, next: str | None = None) -> Response:
    """The sign-in form."""
    return _signin_page(request, next_path=safe_next(next))


@router.post("/signin", dependencies=[Depends(public)])
def signin(
    request: Request,
    *,
    db: Database,
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/worklist",
) -> Response:
    """Check the password; on success a new session and its cookie, then back to `next`."""
    check_anonymous_csrf(request, csrf_token)
    settings = request.app.state.settings
    window = timedelta(minutes=settings.login_window_minutes)
    account_key = "email:" + email.strip().lower()
    client_key = "client:" + (request.client.host if request.client else "?")
    keys = (account_key, client_key)
    wait = throttle_wait(
        db=db,
        purpose=ThrottlePurpose.SIGN_IN,
        keys=keys,
        limit=settings.login_max_failures,
        window=window,
    )
    if wait > timedelta(0):
        seconds = wait.total_seconds()
        minutes = max(1, round(seconds / 60))
        return error_response(
            request,
            429,
            "too_many_requests",
            f"too many failed sign-ins; try again in {minutes} minute(s)",
            headers={"retry-after": str(int(seconds) + 1)},
        )
    try:
        user = authenticate(db=db, email=email, password=password)
    except Unauthenticated as refused:
        record_throttle_event(db=db, purpose=ThrottlePurpose.SIGN_IN, keys=keys, window=window)
        return _signin_page(
            request, next_path=safe_next(next), email=email, message=refused.message, status=401
        )
    clear_throttle_events(db=db, purpose=ThrottlePurpose.SIGN_IN, key=account_key)
    lifetime = timedelta(hours=settings.session_max_hours)
    token, _ = start_session(db=db, user_id=user.id, lifetime=lifetime)
    target = landing(safe_next(next), principal_for(db=db, user=user))
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        session_cookie_name(request),
        token,
        max_age=int(lifetime.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        path="/",
    )
    response.delete_cookie(ANONYMOUS_CSRF_COOKIE, path="/")
    return response


@router.post("/signout", dependencies=[Depends(signed_in)])
def signout(request: Request, db: Database, principal: SignedIn) -> Response:
    """End the session and forget the cookie."""
    del principal
    name = session_cookie_name(request)
    token = request.cookies.get(name)
    if token:
        end_session(db=db, token=token)
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(name, path="/")
    return response

"""Who is asking: the request's unit of work, the signed-in principal, access policies, CSRF.

Every route declares one access policy (`public`, `signed_in` or `require(permission)`); a test
walks the route table and fails on a route without one. State-changing requests of a signed-in
browser must carry the session's CSRF token (header `X-CSRF-Token` or form field `csrf_token`).
"""

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from limbsalvage.accounts.models import UserSession
from limbsalvage.accounts.permissions import Permission, Principal
from limbsalvage.accounts.service import principal_for, resume_session
from limbsalvage.db.session import read_unit_of_work, set_actor, unit_of_work
from limbsalvage.errors import Forbidden, Unauthenticated
from limbsalvage.web.security import anonymous_csrf_valid, new_anonymous_csrf, signing_key

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
ANONYMOUS_CSRF_COOKIE = "limbsalvage_csrf"


def session_cookie_name(request: Request) -> str:
    """`__Host-` prefixed when cookies are Secure (then bound to this host and path /)."""
    secure = request.app.state.settings.secure_cookies
    return "__Host-limbsalvage_session" if secure else "limbsalvage_session"


def database(request: Request) -> Iterator[Session]:
    """The request's unit of work: committed once when the route returns, else rolled back.

    A safe request (GET, HEAD) reads without SQLite's write lock and writes its access audit in
    a short transaction after the read (db/session.py); other methods write from the start.
    """
    factory = request.app.state.sessionmaker
    if factory is None:
        # Without a database (classification only) an unbound session stands in: nobody can
        # sign in, so no route reaches a query through it.
        with Session() as session:
            yield session
        return
    unit = read_unit_of_work if request.method in SAFE_METHODS else unit_of_work
    with unit(factory) as session:
        yield session


Database = Annotated[Session, Depends(database, scope="function")]


async def submitted_csrf(request: Request) -> str | None:
    """The CSRF token sent with an unsafe request (header, or form field)."""
    if request.method not in UNSAFE_METHODS:
        return None
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


def _session_row(request: Request, db: Session) -> UserSession | None:
    token = request.cookies.get(session_cookie_name(request))
    if not token or request.app.state.sessionmaker is None:
        return None
    settings = request.app.state.settings
    return resume_session(db=db, token=token, idle=timedelta(minutes=settings.session_idle_minutes))


def current_principal(
    request: Request, db: Database, csrf: Annotated[str | None, Depends(submitted_csrf)]
) -> Principal | None:
    """The signed-in user (None when anonymous); unsafe requests must carry the CSRF token."""
    row = _session_row(request, db)
    if row is None:
        request.state.principal = None
        return None
    if request.method in UNSAFE_METHODS and csrf != row.csrf_token:
        raise Forbidden(message="csrf_token: missing or not this session's; reload the page")
    principal = principal_for(db=db, user=row.user)
    set_actor(db, actor_id=principal.user_id)
    request.state.principal = principal
    request.state.csrf_token = row.csrf_token
    return principal


async def posted_form(request: Request) -> FormData:
    """The posted form, read on the event loop so the route itself can be a plain function.

    A route that uses the database must not be `async def`: its blocking queries would stall
    the event loop, and with it the commit of the request holding the lock they wait for.
    """
    return await request.form()


PostedForm = Annotated[FormData, Depends(posted_form)]


OptionalPrincipal = Annotated[Principal | None, Depends(current_principal)]


class Policy:
    """An access policy a route depends on; the authorization test reads `describe`."""

    def __init__(self, describe: str, check: Callable[[Principal | None], Principal | None]):
        self.describe = describe
        self._check = check

    def __call__(self, principal: OptionalPrincipal) -> Principal | None:
        return self._check(principal)


def _anyone(principal: Principal | None) -> Principal | None:
    return principal


def _signed_in(principal: Principal | None) -> Principal:
    if principal is None:
        raise Unauthenticated(message="sign in first")
    return principal


def _needs(*permissions: Permission) -> Callable[[Principal | None], Principal]:
    def check(principal: Principal | None) -> Principal:
        signed_in = _signed_in(principal)
        if not any(signed_in.can(permission) for permission in permissions):
            names = " or ".join(permission.value for permission in permissions)
            raise Forbidden(message=f"your role does not allow this ({names})")
        return signed_in

    return check


class Public:
    """Open to anyone without touching the database (classification, health checks)."""

    describe = "public"

    def __call__(self) -> None:
        return None


public = Public()
signed_in = Policy("signed_in", _signed_in)
optional_sign_in = Policy("public", _anyone)
_BY_PERMISSION = {p: Policy(f"permission:{p.value}", _needs(p)) for p in Permission}


def require(permission: Permission) -> Policy:
    """The policy of routes that need `permission` at one of the user's sites."""
    return _BY_PERMISSION[permission]


# Routes two roles share, each on its own terms the route checks per record (completing a task:
# coordinators any, clinicians the care team's clinical ones).
COMPLETE_TASK = Policy(
    "permission:coordination_write|clinical_write",
    _needs(Permission.COORDINATION_WRITE, Permission.CLINICAL_WRITE),
)


SignedIn = Annotated[Principal, Depends(signed_in)]


def allowed(permission: Permission) -> Any:
    """`Annotated[Principal, Depends(require(permission))]` for a route parameter."""
    return Annotated[Principal, Depends(require(permission))]


def anonymous_csrf_token(request: Request) -> str:
    """The double-submit token for an anonymous form (set as a cookie by `with_csrf_cookie`)."""
    existing = request.cookies.get(ANONYMOUS_CSRF_COOKIE)
    key = signing_key(request.app.state.settings)
    if existing and anonymous_csrf_valid(key, cookie=existing, submitted=existing):
        return existing
    token: str = getattr(request.state, "new_csrf", "") or new_anonymous_csrf(key)
    request.state.new_csrf = token
    return token


def check_anonymous_csrf(request: Request, submitted: str | None) -> None:
    """Refuse an anonymous form post whose token does not match its cookie."""
    key = signing_key(request.app.state.settings)
    cookie = request.cookies.get(ANONYMOUS_CSRF_COOKIE)
    if not anonymous_csrf_valid(key, cookie=cookie, submitted=submitted):
        raise Forbidden(message="csrf_token: missing or expired; reload the page and try again")

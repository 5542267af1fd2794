"""
Request handling that does not belong to any one page: a 503 while the database is
unavailable, one structured log line per request, compression of public data, and the
validators and Cache-Control of public responses.
"""

import hashlib
import json
import logging
import sqlite3
import sys
import time
from datetime import datetime
from datetime import time as day_start

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import DisallowedHost
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseNotModified, JsonResponse
from django.middleware.gzip import GZipMiddleware
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers
from django.utils.functional import empty
from django.utils.http import http_date, parse_etags, parse_http_date_safe
from django.views import defaults

from ijtech import content_version

database_log = logging.getLogger("ijtech.database")
request_log = logging.getLogger("ijtech.request")

RETRY_AFTER_SECONDS = 30
UNAVAILABLE_MESSAGE = "The database is not answering. Please try again in a moment."

# SQLite reports both passing trouble and broken queries as OperationalError; only these
# pass by themselves.
_SQLITE_PASSING = ("database is locked", "unable to open database", "disk i/o error")
# PostgreSQL error classes that pass: connection exceptions, insufficient resources,
# operator intervention (statement timeout, shutdown), system errors.
_POSTGRES_PASSING = ("08", "53", "57", "58")


def database_unavailable(exc: BaseException) -> bool:
    """Whether an error means the database is down, busy or too slow (not a bug)."""
    if isinstance(exc, InterfaceError):
        return True
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    if isinstance(cause, sqlite3.Error):
        return str(cause).lower().startswith(_SQLITE_PASSING)
    sqlstate = getattr(cause, "sqlstate", None)
    # No SQLSTATE: the connection itself failed (refused, timed out, dropped).
    return sqlstate is None or sqlstate.startswith(_POSTGRES_PASSING)


def unavailable_response(request, exc: BaseException) -> HttpResponse:
    database_log.warning(
        "database unavailable %s",
        json.dumps(
            {
                "method": request.method,
                "path": request.path,
                "error": f"{type(exc).__name__}: {str(exc).strip()}",
            }
        ),
    )
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": UNAVAILABLE_MESSAGE}, status=503)
    else:
        # Rendered without the request, so no context processor runs: the user, the
        # session and the messages would each need the database that is not answering.
        response = HttpResponse(
            render_to_string("503.html", {"retry_after": RETRY_AFTER_SECONDS}), status=503
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    # Logged above in one line; Django need not log it again with a traceback.
    response._has_been_logged = True
    return response


class DatabaseUnavailableMiddleware:
    """A view that cannot reach the database answers 503 with Retry-After, not 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if database_unavailable(exception):
            return unavailable_response(request, exception)
        return None


def server_error(request):
    """The 500 handler; an outage outside a view (say, saving a session) is still a 503."""
    exc = sys.exc_info()[1]
    if exc is not None and database_unavailable(exc):
        return unavailable_response(request, exc)
    return defaults.server_error(request)


def _user(request) -> str:
    """The signed-in user's id if this request already looked it up, without a query."""
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "_wrapped", None) is not empty:
        return str(user.pk) if user.is_authenticated else "anonymous"
    session = getattr(request, "session", None)
    if session is not None and hasattr(session, "_session_cache"):
        return str(session.get("_auth_user_id") or "anonymous")
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return "anonymous"
    return "-"  # a session the page never needed: looking it up would cost a query


class RequestLogMiddleware:
    """
    One JSON line per request: method, path (never the query string, which may carry
    secrets), status, duration and user. Refused and failed requests are warnings.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        response = self.get_response(request)
        status = response.status_code
        if status >= 400 and status != 404:
            level = logging.WARNING
        elif request.path in ("/healthz", "/readyz"):
            level = logging.DEBUG  # probes every few seconds would drown everything else
        else:
            level = logging.INFO
        if request_log.isEnabledFor(level):
            request_log.log(
                level,
                "request %s",
                json.dumps(
                    {
                        "method": request.method,
                        "path": request.path,
                        "status": status,
                        "duration_ms": round((time.monotonic() - started) * 1000, 1),
                        "user": _user(request),
                    }
                ),
            )
        return response


# Public data only. Compression over TLS leaks a secret that a response reflects next to
# attacker-chosen text (BREACH); the HTML pages carry CSRF tokens and the admin a session's
# data, so they are never compressed. JSON, CSV and Atom here are the read-only API, the
# exports and the feeds: published records with no secret in them.
COMPRESSIBLE_TYPES = (
    "application/json",
    "application/vnd.oai.openapi",
    "text/csv",
    "application/atom+xml",
)


def compressible(request, response) -> bool:
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return content_type in COMPRESSIBLE_TYPES and not request.path.startswith("/admin/")


class PublicGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware, for the public data responses alone (`compressible`)."""

    def process_response(self, request, response):
        if not compressible(request, response):
            return response
        return super().process_response(request, response)


# --- HTTP caching of public responses -------------------------------------------------------

# Never cached: the admin (an editor's own work) and the probes (this process's state).
# The API's schema and its docs change with the code, not the content: they carry no
# content version and are answered without the database.
NOT_CACHED_PATHS = ("/admin/", "/healthz", "/readyz", "/api/schema/", "/api/docs/")


def _private(request) -> bool:
    """Whether the request may come from someone signed in, or has messages waiting.

    Read from the cookies and headers alone, before the session is looked up: without a
    session cookie or credentials nobody is signed in.
    """
    return (
        settings.SESSION_COOKIE_NAME in request.COOKIES
        or CookieStorage.cookie_name in request.COOKIES
        or "HTTP_AUTHORIZATION" in request.META
    )


_day = {"minute": None, "today": None, "midnight": None}


def _today():
    """The site's date and its midnight, worked out once a minute rather than per request."""
    minute = int(time.time() // 60)
    if _day["minute"] != minute:
        today = timezone.localdate()
        midnight = timezone.make_aware(datetime.combine(today, day_start.min))
        _day.update(minute=minute, today=today.isoformat(), midnight=midnight)
    return _day["today"], _day["midnight"]


def validators(request, version) -> tuple[str, datetime] | None:
    """The ETag and Last-Modified of a public response, from what it depends on."""
    try:
        host = request.get_host()
    except DisallowedHost:
        return None  # the view's turn to refuse it
    today, midnight = _today()
    # The representation: address and query, the negotiated format, the host and scheme
    # (absolute links), the release, and the day (citation files carry an access date).
    parts = [
        settings.RELEASE,
        version.key,
        request.scheme,
        host,
        request.get_full_path(),
        request.META.get("HTTP_ACCEPT", ""),
        today,
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
    # Weak: one ETag for the identity and the gzip-compressed bodies, which differ in
    # bytes but not in meaning (PublicGZipMiddleware would weaken a strong one anyway).
    changed = max(version.changed_at, midnight) if version.changed_at else midnight
    return f'W/"{digest}"', changed


def _not_modified(request, etag: str, last_modified: datetime) -> bool:
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        # Weak comparison, as RFC 9110 asks for If-None-Match.
        tags = {tag.removeprefix("W/") for tag in parse_etags(if_none_match)}
        return "*" in tags or etag.removeprefix("W/") in tags
    since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE"))
    return since is not None and int(last_modified.timestamp()) <= since


def _shareable(request, response) -> bool:
    """A public 200 that a CDN may keep: no cookie, CSRF token or message in it."""
    messages = getattr(request, "_messages", None)
    return (
        response.status_code == 200
        and not response.has_header("Cache-Control")
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not (messages is not None and (messages.used or messages._queued_messages))
    )


def _set_validators(response, etag: str, last_modified: datetime) -> None:
    # A view's own ETag (the data package's, of its version) is kept: the view answers it.
    if not response.has_header("ETag"):
        response.headers["ETag"] = etag
    response.headers["Last-Modified"] = http_date(last_modified.timestamp())
    patch_cache_control(
        response,
        public=True,
        max_age=settings.PUBLIC_CACHE_SECONDS,
        stale_while_revalidate=settings.PUBLIC_STALE_SECONDS,
    )


class PublicCacheMiddleware:
    """
    ETag and Last-Modified from the content version (ijtech/content_version.py) on every
    public response, and a 304 for a repeat view, decided before the view runs: one query
    for the version row, none while the process remembers it (CONTENT_VERSION_SECONDS).

    Public pages may be kept PUBLIC_CACHE_SECONDS by a browser or CDN. A request that may
    be signed in (a session cookie, credentials) or has messages gets no validators and
    `private, no-cache`; so does a response that sets a cookie or carries a CSRF token.
    The admin, the probes and error responses are left alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or request.path.startswith(NOT_CACHED_PATHS):
            return self.get_response(request)
        if _private(request):
            return self._private(request, self.get_response(request))
        try:
            version = content_version.current()
        except (InterfaceError, OperationalError) as exc:
            if not database_unavailable(exc):
                raise
            return self.get_response(request)  # the view answers 503
        found = validators(request, version)
        if found is None:
            return self.get_response(request)
        etag, last_modified = found
        if _not_modified(request, etag, last_modified):
            # Vary is left out: a cache keeps the one the full response gave, where a
            # partial one here would replace it.
            response = HttpResponseNotModified()
            _set_validators(response, etag, last_modified)
            return response
        with content_version.pinned(version):
            response = self.get_response(request)
        if _shareable(request, response):
            _set_validators(response, etag, last_modified)
            # A signed-in visitor to the same address gets another page.
            patch_vary_headers(response, ("Cookie",))
        elif response.cookies and 200 <= response.status_code < 300:
            self._private(request, response)
        return response

    def _private(self, request, response):
        if response.status_code == 200 and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_cache=True)
            patch_vary_headers(response, ("Cookie",))
        return response

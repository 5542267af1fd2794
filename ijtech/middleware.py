"""
Request handling that does not belong to any one page: a 503 while the database is
unavailable, and one structured log line per request.
"""

import json
import logging
import sqlite3
import sys
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.middleware.gzip import GZipMiddleware
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.utils.functional import empty
from django.views import defaults

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

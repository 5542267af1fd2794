"""Health endpoints for load balancers and orchestrators: plain JSON, never cached."""

from django.db import Error, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    """The process is up and answering; the database is not consulted."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    """Ready to serve pages: the database answers `SELECT 1`."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Error:  # refused, timed out, dropped, or any other failure to answer
        response = JsonResponse({"status": "unavailable", "database": False}, status=503)
        response._has_been_logged = True  # an expected answer, logged as a request line
        return response
    return JsonResponse({"status": "ok", "database": True})

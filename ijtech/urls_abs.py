"""Absolute links: from SITE_URL when it is set, otherwise from the host that was asked.

A site served at another host than the default (``make run HOST=…``, a staging name) must
not hand out links to 127.0.0.1, so without SITE_URL a link is built from the request. Code
that has no request at hand (export rows, citation files, feed items) reads the host of the
request being served, which `SiteURLMiddleware` notes; outside a request (management
commands) the development address is used.
"""

from contextvars import ContextVar

from django.conf import settings

DEFAULT_SITE_URL = "http://127.0.0.1:8000"

_request_base: ContextVar[str] = ContextVar("request_base", default="")


def site_url(request=None) -> str:
    """The site's scheme and host (and any path prefix), without the final slash."""
    if settings.SITE_URL:
        return settings.SITE_URL
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return _request_base.get() or DEFAULT_SITE_URL


def absolute_url(request, path: str) -> str:
    """`path` (starting with "/") as an absolute URL; `request` may be None."""
    return site_url(request) + path


class SiteURLMiddleware:
    """Notes the request's own address for the links built during it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_base.set(request.build_absolute_uri("/").rstrip("/"))
        try:
            return self.get_response(request)
        finally:
            _request_base.reset(token)

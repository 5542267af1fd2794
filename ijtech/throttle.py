"""The answer to a sign-in refused by django-axes after too many wrong passwords."""

import json
import logging

from django.conf import settings
from django.shortcuts import render

log = logging.getLogger("ijtech.login")


def locked_out(request, original_response=None, credentials=None):
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    cool_off = settings.AXES_COOLOFF_TIME
    log.warning(
        "sign-in locked %s",
        json.dumps(
            {
                "username": username[:150],
                "address": getattr(request, "axes_ip_address", None),
                "path": request.path,
            }
        ),
    )
    response = render(
        request,
        "login_locked.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "minutes": int(cool_off.total_seconds() // 60),
        },
        status=429,
    )
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response

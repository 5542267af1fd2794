"""
Read replicas: public reads go to a replica, everything else to the primary (`default`).

`DATABASE_REPLICA_URLS` adds the aliases `replica1`, `replica2`... and lists them in
`DATABASE_REPLICAS`; with none, the router answers None and Django's own rules apply.

A request may read from a replica only when it is public: a GET or HEAD outside the admin
that carries no credentials (no session cookie, no Authorization header). Such a request
picks one replica for all of its reads, so one page never mixes two replicas' lags. Every
other request, and everything outside a request (commands, the shell), reads the primary:
editors must see what they just saved, and a command that reads then writes must not act
on data a replica has not caught up with. A public request that writes reads the primary
for the rest of its life, and so does any read inside a transaction.
"""

import random
from contextvars import ContextVar

from django.conf import settings
from django.core.signals import request_finished
from django.db import DEFAULT_DB_ALIAS, connections
from django.urls import reverse

# The alias this request reads from, or None for the primary. Outside a request nothing
# has set it, so reads go to the primary.
_replica: ContextVar[str | None] = ContextVar("ijtech_read_replica", default=None)

# Accounts, sessions, sign-in throttling and the admin's log are the editors' own state:
# read where they were written, whatever the request.
PRIMARY_ONLY_APPS = {"auth", "sessions", "admin", "axes"}


def replicas() -> list[str]:
    return settings.DATABASE_REPLICAS


def public(request) -> bool:
    """May this request read from a replica?"""
    return (
        request.method in ("GET", "HEAD")
        and not request.path.startswith(reverse("admin:index"))
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def read_from_replica_for(request) -> None:
    """Route this request's reads: to one replica if it is public, else to the primary."""
    choices = replicas()
    _replica.set(random.choice(choices) if choices and public(request) else None)


def pin_to_primary(**kwargs) -> None:
    """From now on, in this request, read from the primary (it has what was just written)."""
    _replica.set(None)


# Sent once the response is closed, after a streamed export has read its last row: what
# runs next in this thread is not part of the request.
request_finished.connect(pin_to_primary, dispatch_uid="ijtech.db_router.pin_to_primary")


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if not replicas():
            return None
        alias = _replica.get()
        if (
            alias is None
            or model._meta.app_label in PRIMARY_ONLY_APPS
            # Inside a transaction reads must see its own writes, and a lock taken with
            # select_for_update() is only on the primary.
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return DEFAULT_DB_ALIAS
        return alias

    def db_for_write(self, model, **hints):
        if not replicas():
            return None
        pin_to_primary()
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # A replica holds the primary's rows: an object read from one may point at one
        # read from the other.
        same = {DEFAULT_DB_ALIAS, *replicas()}
        if obj1._state.db in same and obj2._state.db in same:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # Replicas replay the primary's schema changes; they are read-only.
        return db == DEFAULT_DB_ALIAS


class ReplicaMiddleware:
    """Decides, as each request starts, whether its reads may go to a replica."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Undone by request_finished, not on return: a streamed export reads its rows after
        # this returns, and must read them where the rest of the request did.
        read_from_replica_for(request)
        return self.get_response(request)

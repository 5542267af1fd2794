"""
A cache of computed fragments (counts, facets, charts) that lasts until the next public
change: each key holds the content version (ijtech/content_version.py), so a change makes
every older entry unreachable, and the backend's expiry and eviction clear them away.

    counts = fragments.cached(("home-counts",), lambda: {...})

What `compute` returns is pickled into the cache (CACHE_URL): plain values, lists and
dicts, not querysets.
"""

import hashlib

from django.core.cache import cache

from ijtech import content_version

# Entries of an unchanged version stay valid; the limit only bounds how long the unused
# ones of old versions stay in memory.
TIMEOUT = 24 * 3600

_MISSING = object()


def key(parts) -> str:
    version = content_version.current()
    digest = hashlib.sha256(repr(tuple(parts)).encode()).hexdigest()[:32]
    return f"fragment:{version.key}:{digest}"


def cached(parts, compute, timeout: int = TIMEOUT):
    """`compute()`, or what it returned for these `parts` since the last public change."""
    name = key(parts)
    value = cache.get(name, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(name, value, timeout)
    return value

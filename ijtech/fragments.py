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
from django.core.exceptions import EmptyResultSet
from django.db.models.query import ModelIterable

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


def _statement(queryset):
    """The queryset's SQL and parameters as a key, or None when it can match nothing."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return None
    return (queryset.db, sql, tuple(map(repr, params)))


def count(queryset) -> int:
    """`queryset.count()` until the next public change, keyed by its SQL.

    For querysets of what the public sees, which only a public change (one that bumps the
    content version) can alter: a page's "N results" and its number of pages then cost no
    query while the content stays the same, at any size of the corpus.
    """
    statement = _statement(queryset)
    if statement is None:
        return 0
    return cached(("count", *statement), queryset.count)


def rows(queryset) -> list:
    """`list(queryset)` until the next public change, keyed by its SQL (public rows only).

    For a statement whose cost grows with what it ranks or groups rather than with what
    it returns (a page of search results sorted by relevance). The rows are pickled with
    their annotations and what they prefetched; a relation read lazily is read again.
    """
    statement = _statement(queryset)
    if statement is None:
        return []
    return cached(("rows", *statement), lambda: list(queryset))


class CountsIterable(ModelIterable):
    """A queryset's records, each given counts computed for all records at once.

    For counts that an annotation would compute with a correlated subquery per row (a
    sector's records, a source's citations): `compute(model, using)` returns
    {pk: {name: n}} for every record from grouped queries, kept until the next public
    change, and each record gets an attribute per name of `defaults` (its default when the
    record has no row). A subclass names the cache entry (`parts`) and what to compute.
    """

    parts: tuple = ()
    defaults: dict = {}

    @staticmethod
    def compute(model, using) -> dict:
        raise NotImplementedError

    def __iter__(self):
        counts = None
        using = self.queryset.db
        model = self.queryset.model
        for record in super().__iter__():
            if counts is None:
                counts = cached((*self.parts, using), lambda: self.compute(model, using))
            found = counts.get(record.pk, {})
            for name, default in self.defaults.items():
                setattr(record, name, found.get(name, default))
            yield record


def with_counts(queryset, iterable: type[CountsIterable]):
    clone = queryset._chain()
    clone._iterable_class = iterable
    return clone

"""
The content version: one row counting the changes the public can see.

Every save or delete of a published record (or of one that was published), every change
to a row that a published record shows (its citations, disagreements, party links, tags
and sectors, and the sources, sectors and tags themselves) bumps it, in the same
transaction: a change that is rolled back bumps nothing. Bulk writers that pause the
signals (the corpus load, `generate_corpus`) bump once when they are done.

The version drives the validators of every public response (ijtech/middleware.py) and the
keys of the cache of rendered fragments (ijtech/fragments.py). Which models to watch is
derived from the records' own relations, as the search index does (ijtech/search.py).
"""

import hashlib
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from ijtech.pausing import Pause

# Relations into these apps are bookkeeping, not content.
NOT_CONTENT_APPS = {"admin", "auth", "contenttypes", "sessions"}


@dataclass(frozen=True)
class Version:
    n: int
    changed_at: datetime | None

    @property
    def key(self) -> str:
        """Unique per bump: a database restored to an older count has other times."""
        stamp = self.changed_at.timestamp() if self.changed_at else 0
        return hashlib.sha256(f"{self.n}:{stamp!r}".encode()).hexdigest()[:16]


EMPTY = Version(0, None)

# The version a process last read or committed, for CONTENT_VERSION_SECONDS.
_shared = {"version": None, "read_at": 0.0}
_lock = threading.Lock()
# Per thread: the version this thread's own open transaction bumped to, which no other
# thread may see before it commits; and the version pinned for the request being served.
_local = threading.local()


def _pending(callback, using) -> bool:
    """Whether `callback` still waits for its transaction to commit.

    Django drops the callbacks of a savepoint that is rolled back, and runs (and forgets)
    them all at the commit: a bump's callback is pending exactly while the bump is this
    connection's own, neither rolled back nor visible to others yet.
    """
    return any(entry[1] is callback for entry in connections[using].run_on_commit)


def _read(using) -> Version:
    from ijtech.models import ContentVersion

    row = ContentVersion.objects.using(using).filter(pk=1).values_list("n", "changed_at").first()
    return Version(*row) if row else EMPTY


def current(using=DEFAULT_DB_ALIAS) -> Version:
    """The version, from the request's pin, this thread's own bump, a brief memo, or one query."""
    pinned = getattr(_local, "pinned", None)
    if pinned is not None:
        return pinned
    own = getattr(_local, "own", None)
    if own is not None:
        version, callback = own
        if _pending(callback, using):
            return version
        # Committed (and shared), or rolled back to before the bump.
        _local.own = None
    if connections[using].in_atomic_block:
        # The row may hold bumps of this transaction, which no other thread may see yet.
        return _read(using)
    seconds = settings.CONTENT_VERSION_SECONDS
    with _lock:
        memo, read_at = _shared["version"], _shared["read_at"]
    if memo is not None and time.monotonic() - read_at < seconds:
        return memo
    version = _read(using)
    _share(version)
    return version


def _share(version: Version) -> None:
    with _lock:
        _shared["version"], _shared["read_at"] = version, time.monotonic()


def forget() -> None:
    """Drop what this process remembers of the version (tests start from the database)."""
    with _lock:
        _shared["version"], _shared["read_at"] = None, 0.0
    _local.own = None
    _local.pinned = None


@contextmanager
def pinned(version: Version):
    """Serve one request with one version: the validators and the fragments agree."""
    _local.pinned = version
    try:
        yield
    finally:
        _local.pinned = None


def bump(using=DEFAULT_DB_ALIAS) -> Version:
    """Count one public change, in the caller's transaction."""
    from ijtech.models import ContentVersion

    connection = connections[using]
    now = timezone.now()
    table = connection.ops.quote_name(ContentVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET n = n + 1, changed_at = %s WHERE id = 1 RETURNING n",
            [connection.ops.adapt_datetimefield_value(now)],
        )
        row = cursor.fetchone()
    if row is None:
        # A flushed database (a transactional test) lost the row the migration made.
        ContentVersion.objects.using(using).get_or_create(
            pk=1, defaults={"n": 1, "changed_at": now}
        )
        version = _read(using)
    else:
        version = Version(row[0], now)
    _local.pinned = None

    def committed():
        # Other threads of this process learn the new version when it is committed.
        _local.own = None
        _share(version)

    if connection.in_atomic_block:
        _local.own = (version, committed)
    transaction.on_commit(committed, using=using)
    return version


# --- What the public sees -----------------------------------------------------------------

# Let a bulk writer change many rows and bump once at its end.
paused = Pause()


def _is_record(model) -> bool:
    from ijtech.models import Editorial

    return issubclass(model, Editorial)


def _forward_relations(model):
    for field in model._meta.get_fields():
        if not field.is_relation or field.related_model is None:
            continue
        if field.auto_created and not field.concrete:
            continue  # a reverse relation: the other model declares it
        if field.many_to_one or field.many_to_many or isinstance(field, GenericRelation):
            yield field


def watched():
    """(models whose rows public records show, the auto-created m2m tables between them)."""
    from ijtech.models import editorial_models

    models, through_tables = set(), set()
    queue = [*editorial_models(), *(m for m in apps.get_models() if getattr(m, "editor_edits", 0))]
    while queue:
        model = queue.pop()
        if model in models or model._meta.app_label in NOT_CONTENT_APPS:
            continue
        models.add(model)
        for field in _forward_relations(model):
            queue.append(field.related_model)
            through = getattr(field.remote_field, "through", None)
            if field.many_to_many and through is not None:
                if through._meta.auto_created:
                    through_tables.add(through)
                else:
                    queue.append(through)
    return models, through_tables


def _published(model, pks, using, every=False) -> bool:
    """Whether any (or, with `every`, each) of these records is published."""
    from ijtech.models import EditorialStatus

    pks = {pk for pk in pks if pk is not None}
    if not pks:
        return False
    found = model._base_manager.using(using).filter(
        pk__in=pks, editorial_status=EditorialStatus.PUBLISHED
    )
    return found.count() == len(pks) if every else found.exists()


def _targets(instance) -> dict:
    """{record model: pks} of the records a link row (citation, party link, tag) joins."""
    found: dict = {}
    for field in type(instance)._meta.concrete_fields:
        if field.many_to_one and _is_record(field.related_model):
            found.setdefault(field.related_model, set()).add(getattr(instance, field.attname))
    for field in type(instance)._meta.private_fields:
        if isinstance(field, GenericForeignKey):
            type_id = getattr(instance, f"{field.ct_field}_id", None)
            object_id = getattr(instance, field.fk_field, None)
            if type_id is None or object_id is None:
                continue
            model = ContentType.objects.get_for_id(type_id).model_class()
            if model is not None and _is_record(model):
                found.setdefault(model, set()).add(int(object_id))
    return found


def _links(model) -> bool:
    fields = model._meta.get_fields()
    return any(isinstance(f, GenericForeignKey) for f in fields) or any(
        f.many_to_one and f.concrete and _is_record(f.related_model) for f in fields
    )


def is_public_change(instance, using, created=False) -> bool:
    model = type(instance)
    if _is_record(model):
        # A new record is known not to have been published before; an old one that was
        # not read from the database might have been.
        known = created or instance._loaded_status is not None
        return instance.was_published or not known
    if _links(model):
        # A link between records shows only where each of them is public.
        targets = _targets(instance)
        return bool(targets) and all(
            _published(m, pks, using, every=True) for m, pks in targets.items()
        )
    return True  # a source, sector or tag: public pages list them all


def _saved(sender, instance, created=False, raw=False, using=DEFAULT_DB_ALIAS, **kwargs):
    if not paused.active and (raw or is_public_change(instance, using, created)):
        bump(using)
    if _is_record(sender):
        instance._loaded_status = instance.editorial_status


def _deleted(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    if not paused.active and is_public_change(instance, using):
        bump(using)


def _m2m_changed(sender, instance, action, reverse, model, pk_set, using, **kwargs):
    if paused.active or action not in {"post_add", "post_remove", "post_clear"}:
        return
    others_public = _is_record(model) and (
        action == "post_clear" or _published(model, pk_set or (), using)
    )
    if _is_record(type(instance)):
        public = instance.was_published and (not _is_record(model) or others_public)
    elif _is_record(model):
        # A cleared reverse relation does not say which records lost the link.
        public = others_public
    else:
        public = True
    if public:
        bump(using)


def connect_signals() -> None:
    from django.db.models.signals import m2m_changed, post_delete, post_save

    models, through_tables = watched()
    for model in models:
        uid = f"content-version-{model._meta.label_lower}"
        post_save.connect(_saved, sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(_deleted, sender=model, weak=False, dispatch_uid=uid)
    for through in through_tables:
        uid = f"content-version-{through._meta.label_lower}"
        m2m_changed.connect(_m2m_changed, sender=through, weak=False, dispatch_uid=uid)

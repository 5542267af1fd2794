"""Who may move a record from which editorial state to which, and what publishing needs.

Every path that changes a record goes through here: the change form, the history revert
form, the changelist actions and the model itself (`move_to()`, `publish()`, `clean()`).
Supporting rows that published records show (a source, a tag, reference data) are public
content too, so they follow the rule of a published record: only a reviewer changes them.
"""

from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Q

from ijtech.models import NO_CITATION_MESSAGE, EditorialStatus, editorial_models
from ijtech.roles import can_publish

PUBLISHED = EditorialStatus.PUBLISHED

ONLY_REVIEWERS_PUBLISH = "Only reviewers can publish. Send the record for review."
ONLY_REVIEWERS_CHANGE_PUBLISHED = (
    "Only reviewers can change a published record. Ask a reviewer to make the change, "
    "or to unpublish the record so that it can be edited and reviewed again."
)


def may_move(user, model, current, target) -> bool:
    """May `user` save a `model` record now in state `current` (None: new) in `target`?

    Drafts and records in review move freely between those two states. Publishing,
    unpublishing and editing a published record are a reviewer's. With no user (the
    corpus loader, the shell) there is nobody to check.
    """
    if user is None:
        return True
    if PUBLISHED in (current, target):
        return can_publish(user, model)
    return True


def check_move(user, model, current, target) -> None:
    if may_move(user, model, current, target):
        return
    if current == PUBLISHED:
        raise PermissionDenied(ONLY_REVIEWERS_CHANGE_PUBLISHED)
    raise PermissionDenied(ONLY_REVIEWERS_PUBLISH)


def allowed_targets(user, model, current) -> list[str]:
    return [s for s in EditorialStatus.values if may_move(user, model, current, s)]


def may_change(user, record) -> bool:
    """May `user` edit `record` in its present state?"""
    status = record.editorial_status
    return may_move(user, type(record), status, status)


def check_publishable(record, target) -> None:
    """The publication rule: a published record has at least one citation."""
    if target == PUBLISHED and not record.has_citations():
        raise ValidationError({"editorial_status": NO_CITATION_MESSAGE})


def check_transition(user, record, target) -> None:
    """Everything a move of `record` from its present state to `target` must satisfy."""
    check_move(user, type(record), record.editorial_status, target)
    check_publishable(record, target)


# --- Supporting rows that published records show ------------------------------------------

# A supporting model names, as `shown_through`, the lookups by which a record shows one of
# its rows; django-taggit's tag cannot, so it is named here.
TAGGIT_SHOWN_THROUGH = {"taggit.tag": ["tags"]}


def shown_through(model) -> list[str]:
    return getattr(model, "shown_through", None) or TAGGIT_SHOWN_THROUGH.get(
        model._meta.label_lower, []
    )


def _has_field(model, name) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def published_records_using(obj) -> dict:
    """{record model: queryset of its published records showing `obj`}, non-empty only."""
    lookups = shown_through(type(obj))
    found = {}
    if obj.pk is None:
        return found
    for model in editorial_models():
        usable = [lookup for lookup in lookups if _has_field(model, lookup.split("__")[0])]
        if not usable:
            continue
        condition = Q()
        for lookup in usable:
            condition |= Q(**{lookup: obj.pk})
        records = model.objects.published().filter(condition).distinct()
        if records.exists():
            found[model] = records
    return found


def may_change_supporting(user, obj) -> bool:
    """Only someone who may publish every kind of record that shows `obj` may change it."""
    return all(can_publish(user, model) for model in published_records_using(obj))


def only_reviewers_change(obj) -> str:
    name = obj._meta.verbose_name
    return (
        f"Only reviewers can change this {name}: published records show it, so a change "
        f"would go live without review. Add a new {name}, or ask a reviewer."
    )


def may_merge_tags(user) -> bool:
    """Merging tags retags any record, published ones included."""
    return all(can_publish(user, m) for m in editorial_models() if _has_field(m, "tags"))


def published_tag_ids():
    """The ids of tags on published records, as a subquery."""
    from taggit.models import TaggedItem

    condition = Q(pk__in=[])
    for model in editorial_models():
        if _has_field(model, "tags"):
            condition |= Q(
                content_type__app_label=model._meta.app_label,
                content_type__model=model._meta.model_name,
                object_id__in=model.objects.published().values("pk"),
            )
    return TaggedItem.objects.filter(condition).values("tag_id")

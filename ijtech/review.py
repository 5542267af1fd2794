"""Review of reviewed records: what a version holds, what changed, and the review queue.

A record's *state* is its own fields plus its *relations*: citations, tags, many-to-many
links (sectors, institutions, lineage) and rows of a through model (an agreement's
parties). Each historical row keeps the relations of its version in `relations`, filled
when the row is written; a revert, an accepted proposal and the review queue's diff all
read and write states in this one shape.
"""

import difflib
import json
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, router, transaction
from django.utils import timezone
from simple_history.signals import post_create_historical_record

from ijtech.models import (
    ChangeProposal,
    Citation,
    Disagreement,
    EditorialStatus,
    ProposalStatus,
    ReviewComment,
    editorial_models,
)
from ijtech.roles import can_publish

CORPUS_LOAD = "corpus load"

# The record's own bookkeeping: not part of what a reviewer compares.
UNCOMPARED = {"id", "version", "created_at", "updated_at", "editorial_status"}
CITATION_FIELDS = ["source_id", "locator", "quote", "supports", "position", "note", "order"]

STALE_PROPOSAL = (
    "This change was proposed to version {base} of the record, which has been changed "
    "since (it is now at version {now}). Nothing was changed. Send the proposal back so "
    "that its author can make the change again on the current version."
)
PENDING_PROPOSAL = (
    "A change to this {noun} by {who}, proposed at {when}, is already awaiting review. "
    "Your changes have not been saved, so nothing was overwritten. Wait until a reviewer "
    "has accepted or sent back that change, then open the record again."
)


def _jsonable(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def own_fields(model) -> list:
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in UNCOMPARED and f.attname not in UNCOMPARED
    ]


def m2m_fields(model) -> list:
    return [f for f in model._meta.many_to_many if f.name != "tags"]


def has_tags(model) -> bool:
    return any(f.name == "tags" for f in model._meta.get_fields())


# --- A record's state ------------------------------------------------------------------------


def relations_of(record) -> dict:
    """The record's citations, tags and links as they are in the database now."""
    model = type(record)
    relations = {
        "citations": [
            {
                **{name: getattr(c, name) for name in CITATION_FIELDS},
                "source": str(c.source),
                "aspect": c.disagreement.aspect if c.disagreement_id else None,
            }
            for c in Citation.objects.filter(
                content_type=ContentType.objects.get_for_model(model), object_id=record.pk
            )
            .select_related("source", "disagreement")
            .order_by("order", "pk")
        ]
    }
    if has_tags(model):
        relations["tags"] = sorted(record.tags.names())
    for f in m2m_fields(model):
        through = f.remote_field.through
        if through._meta.auto_created:
            rows = getattr(record, f.name).order_by("pk")
            relations[f.name] = [[row.pk, str(row)] for row in rows]
            continue
        # A through model with fields of its own (an agreement's parties and their roles).
        own = f.m2m_field_name()
        columns = [x for x in through._meta.concrete_fields if x.name not in ("id", own)]
        rows = through.objects.filter(**{own: record}).order_by("pk")
        relations[f.name] = [
            {**{x.attname: getattr(row, x.attname) for x in columns}, "label": str(row)}
            for row in rows.select_related(*(x.name for x in columns if x.is_relation))
        ]
    return _jsonable(relations)


def state_of(record) -> dict:
    """The record's fields and relations now: what a version or a proposal holds."""
    return {
        "fields": _jsonable({f.attname: getattr(record, f.attname) for f in own_fields(record)}),
        "relations": relations_of(record),
    }


def state_of_version(historic) -> dict:
    model = historic.instance_type
    return {
        "fields": _jsonable({f.attname: getattr(historic, f.attname) for f in own_fields(model)}),
        "relations": historic.relations,
    }


def note_relations(record, reason=None):
    """Record the relations on the record's latest version, once its inlines are saved."""
    latest = record.history.order_by("-history_date", "-history_id").first()
    if latest is None:
        return
    latest.relations = relations_of(record)
    fields = ["relations"]
    if reason:
        latest.history_change_reason = reason
        fields.append("history_change_reason")
    latest.save(update_fields=fields)


def _fill_relations(sender, instance, history_instance, **kwargs):
    if getattr(instance, "_relations_noted_later", False):
        return
    if hasattr(history_instance, "relations") and history_instance.history_type != "-":
        history_instance.relations = relations_of(instance)
        history_instance.save(update_fields=["relations"])


post_create_historical_record.connect(_fill_relations, dispatch_uid="ijtech_fill_relations")


# --- Writing a state over a record -------------------------------------------------------


def restore_relations(record, relations: dict) -> None:
    """Make the record's citations, tags and links those of `relations`."""
    model = type(record)
    content_type = ContentType.objects.get_for_model(model)
    if "citations" in relations:
        Citation.objects.filter(content_type=content_type, object_id=record.pk).delete()
        disagreements = dict(
            Disagreement.objects.filter(content_type=content_type, object_id=record.pk).values_list(
                "aspect", "pk"
            )
        )
        rows = []
        for item in relations["citations"]:
            disagreement = disagreements.get(item.get("aspect"))
            rows.append(
                Citation(
                    content_type=content_type,
                    object_id=record.pk,
                    disagreement_id=disagreement,
                    **{
                        name: item[name]
                        for name in CITATION_FIELDS
                        if not (name == "position" and disagreement is None)
                    },
                )
            )
        for row in rows:
            # One at a time, so each new citation gets its own history row.
            row.save()
    if "tags" in relations and has_tags(model):
        record.tags.set(relations["tags"], clear=True)
    for f in m2m_fields(model):
        if f.name not in relations:
            continue
        through = f.remote_field.through
        if through._meta.auto_created:
            existing = f.related_model._base_manager.filter(
                pk__in=[pk for pk, _ in relations[f.name]]
            )
            getattr(record, f.name).set(existing)
            continue
        own = f.m2m_field_name()
        for row in through.objects.filter(**{own: record}):
            row.delete()
        for item in relations[f.name]:
            values = {k: v for k, v in item.items() if k != "label"}
            through.objects.create(**{own: record}, **values)


def apply_state(record, state: dict, user, reason: str) -> None:
    """Write `state` over the record, as one new version, in the caller's transaction."""
    for f in own_fields(record):
        if f.attname in state["fields"]:
            value = state["fields"][f.attname]
            setattr(record, f.attname, None if value is None else f.to_python(value))
    record._history_user = user
    record._change_reason = reason
    record.full_clean(check_citations=False)
    record.save()
    if state.get("relations") is not None:
        restore_relations(record, state["relations"])
    note_relations(record, reason)


# --- What changed ------------------------------------------------------------------------


@dataclass
class Change:
    label: str
    before: list[str] = field(default_factory=list)
    after: list[str] = field(default_factory=list)

    @property
    def words(self):
        """A one-value change as (before, after) runs of (changed?, text), word by word."""
        if len(self.before) != 1 or len(self.after) != 1:
            return None
        old, new = self.before[0].split(" "), self.after[0].split(" ")
        before, after = [], []
        matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if i2 > i1:
                before.append((op != "equal", " ".join(old[i1:i2])))
            if j2 > j1:
                after.append((op != "equal", " ".join(new[j1:j2])))
        return before, after

    @property
    def removed(self):
        return [x for x in self.before if x not in self.after]

    @property
    def added(self):
        return [x for x in self.after if x not in self.before]


def _field_text(model, attname, value, labels) -> str:
    f = model._meta.get_field(attname.removesuffix("_id") if attname.endswith("_id") else attname)
    if value in (None, ""):
        return "—"
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if f.is_relation:
        return labels.get((f.related_model, value), f"#{value}")
    return str(value)


def _relation_texts(name, items) -> list[str]:
    texts = []
    for item in items or []:
        if name == "citations":
            text = f"{item['source']} — {item['locator']}"
            if item.get("quote"):
                text += f": “{item['quote']}”"
            if item.get("position"):
                text += f" ({item['position']})"
            texts.append(text)
        elif isinstance(item, dict):
            texts.append(item["label"])
        elif isinstance(item, list):
            texts.append(item[1])
        else:
            texts.append(str(item))
    return texts


def relation_label(name: str) -> str:
    return "parties" if name == "parties" else name.replace("_", " ")


def relation_texts(relations: dict) -> dict[str, list[str]]:
    """Each relation of a snapshot as the lines a person reads, by relation name."""
    return {relation_label(name): _relation_texts(name, items) for name, items in relations.items()}


def _labels(model, states) -> dict:
    """The names of the rows the fields point to, one query per related model."""
    wanted = {}
    for state in states:
        for f in own_fields(model):
            if f.is_relation and state and state["fields"].get(f.attname) is not None:
                wanted.setdefault(f.related_model, set()).add(state["fields"][f.attname])
    labels = {}
    for related, pks in wanted.items():
        for row in related._base_manager.filter(pk__in=pks):
            labels[(related, row.pk)] = str(row)
    return labels


def diff(model, before: dict | None, after: dict) -> list[Change]:
    """Field by field, then relation by relation: what `after` changes of `before`.

    With no `before` (a record never published), everything in `after` is new.
    """
    labels = _labels(model, [before, after])
    changes = []
    for f in own_fields(model):
        new = after["fields"].get(f.attname)
        old = before["fields"].get(f.attname) if before else None
        if before is not None and old == new:
            continue
        if before is None and new in (None, "", False):
            continue
        changes.append(
            Change(
                str(f.verbose_name),
                [_field_text(model, f.attname, old, labels)] if before else [],
                [_field_text(model, f.attname, new, labels)],
            )
        )
    relations_after = after.get("relations") or {}
    relations_before = (before or {}).get("relations") or {}
    for name, items in relations_after.items():
        old = _relation_texts(name, relations_before.get(name))
        new = _relation_texts(name, items)
        if old != new:
            changes.append(Change(relation_label(name), old, new))
    return changes


# --- The queue -----------------------------------------------------------------------------


@dataclass
class QueueItem:
    record: models.Model
    sent_by: object
    sent_at: object
    changes: list[Change]
    published_before: bool
    proposal: ChangeProposal | None = None
    comment: ReviewComment | None = None

    @property
    def model(self):
        return type(self.record)

    @property
    def verbose_name(self) -> str:
        return self.model._meta.verbose_name

    @property
    def key(self) -> str:
        if self.proposal:
            return f"proposal-{self.proposal.pk}"
        return f"{self.model._meta.label_lower}-{self.record.pk}"


def _sent(rows):
    """The version that moved the record into review: the first of the latest run."""
    sent = None
    for row in rows:
        if row.editorial_status != EditorialStatus.IN_REVIEW:
            break
        sent = row
    return sent


def queue(models_=None) -> list[QueueItem]:
    """Every record in review and every pending proposal, oldest first.

    Per kind of record: its records in review, their history (newest first), and the
    labels the diffs show; then the pending proposals with their records.
    """
    items = []
    for model in models_ or editorial_models():
        records = list(model.objects.filter(editorial_status=EditorialStatus.IN_REVIEW))
        if not records:
            continue
        by_record = {}
        history = (
            model.history.filter(id__in=[r.pk for r in records])
            .select_related("history_user")
            .order_by("-history_date", "-history_id")
        )
        for row in history:
            by_record.setdefault(row.id, []).append(row)
        for record in records:
            rows = by_record.get(record.pk, [])
            sent = _sent(rows)
            published = next(
                (r for r in rows if r.editorial_status == EditorialStatus.PUBLISHED), None
            )
            current = rows[0] if rows and rows[0].relations is not None else None
            now = state_of_version(current) if current else state_of(record)
            before = state_of_version(published) if published else None
            items.append(
                QueueItem(
                    record=record,
                    sent_by=sent.history_user if sent else None,
                    sent_at=sent.history_date if sent else record.updated_at,
                    changes=diff(model, before, now),
                    published_before=published is not None,
                )
            )
    proposals = ChangeProposal.objects.pending().select_related("author", "content_type")
    for proposal in proposals:
        model = proposal.content_type.model_class()
        if models_ is not None and model not in models_:
            continue
        record = model._base_manager.filter(pk=proposal.object_id).first()
        if record is None:
            continue
        items.append(
            QueueItem(
                record=record,
                sent_by=proposal.author,
                sent_at=proposal.created_at,
                changes=diff(model, state_of(record), proposal.data),
                published_before=True,
                proposal=proposal,
            )
        )
    items.sort(key=lambda item: item.sent_at)
    return items


def queue_count() -> int:
    count = ChangeProposal.objects.pending().count()
    for model in editorial_models():
        count += model.objects.filter(editorial_status=EditorialStatus.IN_REVIEW).count()
    return count


# --- Decisions ----------------------------------------------------------------------------


def send_back(record, user, text: str) -> ReviewComment:
    """Back to draft, with the reviewer's reason, for its editor to see."""
    if not can_publish(user, type(record)):
        raise PermissionDenied("Only reviewers send records back.")
    text = text.strip()
    if not text:
        raise ValidationError("Say what the editor should change before sending it back.")
    with transaction.atomic(using=router.db_for_write(type(record))):
        record._history_user = user
        record._change_reason = "Sent back: " + text[:80]
        record.move_to(EditorialStatus.DRAFT, user)
        return ReviewComment.objects.create(target=record, author=user, text=text)


def latest_comment(record) -> ReviewComment | None:
    return (
        ReviewComment.objects.filter(
            content_type=ContentType.objects.get_for_model(record), object_id=record.pk
        )
        .select_related("author")
        .first()
    )


def pending_proposal(record) -> ChangeProposal | None:
    return ChangeProposal.objects.for_record(record).pending().select_related("author").first()


def accept(proposal: ChangeProposal, user) -> None:
    """Write the proposed change over the published record, all of it or nothing."""
    model = proposal.content_type.model_class()
    if not can_publish(user, model):
        raise PermissionDenied("Only reviewers accept changes to published records.")
    with transaction.atomic(using=router.db_for_write(model)):
        record = model._base_manager.select_for_update().filter(pk=proposal.object_id).first()
        locked = ChangeProposal.objects.select_for_update().get(pk=proposal.pk)
        if record is None or locked.status != ProposalStatus.PENDING:
            raise ValidationError("This change is no longer awaiting review.")
        if record.version != locked.base_version:
            raise ValidationError(
                STALE_PROPOSAL.format(base=locked.base_version, now=record.version),
                code="conflict",
            )
        who = locked.author.get_username() if locked.author else "an editor"
        apply_state(record, locked.data, user, f"Accepted change proposed by {who}")
        if not record.has_citations():
            raise ValidationError(
                "The change leaves the record without a citation; a published record needs one."
            )
        locked.status = ProposalStatus.ACCEPTED
        locked.reviewer = user
        locked.reviewed_at = timezone.now()
        locked.save()


def send_back_proposal(proposal: ChangeProposal, user, text: str) -> None:
    model = proposal.content_type.model_class()
    if not can_publish(user, model):
        raise PermissionDenied("Only reviewers send changes back.")
    text = text.strip()
    if not text:
        raise ValidationError("Say what the editor should change before sending it back.")
    updated = ChangeProposal.objects.filter(pk=proposal.pk, status=ProposalStatus.PENDING).update(
        status=ProposalStatus.SENT_BACK,
        reviewer=user,
        reviewed_at=timezone.now(),
        reviewer_comment=text,
    )
    if not updated:
        raise ValidationError("This change is no longer awaiting review.")


def corpus_history(objs_by_model: dict) -> None:
    """Note the relations of what a load wrote on the versions it wrote, in bulk.

    The load's own versions are those without relations yet (it skipped them as it went);
    each gets the relations its record ended the load with.
    """
    for model, objs in objs_by_model.items():
        if not objs:
            continue
        relations = {obj.pk: relations_of(obj) for obj in objs}
        rows = list(model.history.filter(id__in=list(relations), relations__isnull=True))
        for row in rows:
            row.relations = relations[row.id]
        model.history.model.objects.bulk_update(rows, ["relations"], batch_size=500)

"""Where the sources disagree on a record, version by version, for the public pages."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q

from ijtech.models import Citation, Disagreement


def disagreement_versions(record):
    """Each disagreement of a record with the citations that give its versions."""
    citations = list(record.citations.all())
    return [
        {
            "disagreement": disagreement,
            "versions": [c for c in citations if c.disagreement_id == disagreement.pk],
        }
        for disagreement in record.disagreements.all()
    ]


def related_disagreements(records):
    """Disagreements recorded on other records, each with the record it is recorded on.

    `records` are the related records already fetched (and known to be published), those a
    record's page lists (RecordDetailView.related_records). Two queries whatever their
    number: the disagreements, then their versions.
    """
    by_key = {(ContentType.objects.get_for_model(r).pk, r.pk): r for r in records}
    if not by_key:
        return []
    ids: dict[int, list[int]] = {}
    for content_type, pk in by_key:
        ids.setdefault(content_type, []).append(pk)
    condition = Q(pk__in=[])
    for content_type, pks in ids.items():
        condition |= Q(content_type_id=content_type, object_id__in=pks)
    disagreements = Disagreement.objects.filter(condition).prefetch_related(
        Prefetch(
            "citations",
            queryset=Citation.objects.select_related("source").order_by("order", "pk"),
        )
    )
    # Keep the order in which the page lists the records, then the aspect.
    position = {key: i for i, key in enumerate(by_key)}
    items = [
        {
            "disagreement": d,
            "record": by_key[(d.content_type_id, d.object_id)],
            "record_kind": by_key[(d.content_type_id, d.object_id)]._meta.verbose_name,
            "versions": list(d.citations.all()),
        }
        for d in disagreements
    ]
    return sorted(
        items,
        key=lambda item: (
            position[(item["disagreement"].content_type_id, item["disagreement"].object_id)],
            item["disagreement"].aspect,
        ),
    )

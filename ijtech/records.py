"""Querysets for what the public pages show of a record: published things only."""

from django.db.models import Prefetch

from ijtech.models import Citation, EditorialStatus

PUBLISHED = EditorialStatus.PUBLISHED


def citation_prefetches():
    return [
        Prefetch(
            "citations",
            queryset=Citation.objects.select_related("source", "disagreement").order_by(
                "order", "pk"
            ),
        ),
        "disagreements",
    ]


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

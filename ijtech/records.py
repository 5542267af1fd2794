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


def published_parties():
    """An agreement's parties, leaving out institutions that are not published."""
    from agreements.models import AgreementParty

    return Prefetch(
        "party_links",
        queryset=AgreementParty.objects.filter(actor__editorial_status=PUBLISHED).select_related(
            "actor"
        ),
    )


def published_actors():
    """A milestone's institutions, leaving out those that are not published."""
    from actors.models import Actor

    return Prefetch("actors", queryset=Actor.objects.published())


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

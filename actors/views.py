from collections import Counter

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from actors.filters import ActorFilter
from actors.models import Actor, ActorKind, Country
from agreements.models import Agreement, AgreementParty, Milestone
from ijtech.browse import Facet, FacetedListView
from ijtech.citeformats import formats_for
from ijtech.records import (
    PUBLISHED,
    citation_prefetches,
    disagreement_versions,
    related_disagreements,
)

PARTNERS_SHOWN = 8


class ActorListView(FacetedListView):
    model = Actor
    filterset_class = ActorFilter
    template_name = "actors/actor_list.html"
    export_name = "export-actors"
    paginate_by = 50
    facets = [
        Facet("country", "Country", "country", choices=dict(Country.choices)),
        Facet("kind", "Kind", "kind", choices=dict(ActorKind.choices)),
        Facet("sector", "Sector", "sectors", related=True, parent_field="parent"),
    ]


def partners(actor, agreements, milestones):
    """The published institutions this one shares the most agreements and milestones with."""
    counts = Counter()
    for row in (
        AgreementParty.objects.filter(agreement__in=agreements)
        .exclude(actor=actor)
        .values_list("actor", "agreement")
        .distinct()
    ):
        counts[row[0]] += 1
    for row in (
        Milestone.actors.through.objects.filter(milestone__in=milestones)
        .exclude(actor=actor)
        .values_list("actor", "milestone")
    ):
        counts[row[0]] += 1
    top = Actor.objects.published().in_bulk(list(counts))
    ranked = sorted(top.values(), key=lambda a: (-counts[a.pk], a.name))[:PARTNERS_SHOWN]
    return [(a, counts[a.pk]) for a in ranked]


def actor_detail(request, slug):
    actor = get_object_or_404(
        Actor.objects.published()
        .with_disputed()
        .select_related("parent")
        .prefetch_related(
            "sectors",
            Prefetch("children", queryset=Actor.objects.published()),
            *citation_prefetches(),
        ),
        slug=slug,
    )
    if actor.parent and not actor.parent.is_published:
        actor.parent = None
    agreements = Agreement.objects.published().filter(parties=actor).distinct()
    milestones = Milestone.objects.published().filter(actors=actor)
    agreement_list = list(agreements.chronological().prefetch_related("sectors"))
    milestone_list = list(milestones.chronological())
    roles = {}
    for link in AgreementParty.objects.filter(actor=actor, agreement__in=agreements):
        roles.setdefault(link.agreement_id, []).append(link.get_role_display())
    for agreement in agreement_list:
        agreement.roles = roles.get(agreement.pk, [])
    return render(
        request,
        "actors/actor_detail.html",
        {
            "record": actor,
            "actor": actor,
            "agreements": agreement_list,
            "milestones": milestone_list,
            "partners": partners(actor, agreements, milestones),
            "disagreements": disagreement_versions(actor),
            "related_disagreements": related_disagreements(agreement_list + milestone_list),
            "cite": formats_for(actor),
            "cite_name": "cite-actor",
            "published": PUBLISHED,
        },
    )

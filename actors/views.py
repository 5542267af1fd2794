from collections import Counter

from django.db.models import Prefetch

from actors.filters import ActorFilter
from actors.models import Actor, ActorKind, Country
from ijtech.browse import Facet, FacetedListView
from ijtech.dates import REVERSE_CHRONOLOGICAL
from ijtech.views import RecordDetailView

PARTNERS_SHOWN = 8
# An institution's page lists at most this many agreements and milestones, the latest
# first, and links to the filtered lists for the rest.
SHOWN = 50


class ActorListView(FacetedListView):
    model = Actor
    filterset_class = ActorFilter
    template_name = "actors/actor_list.html"
    export_name = "actors:export"
    paginate_by = 50
    facets = [
        Facet("country", "Country", "country", choices=dict(Country.choices)),
        Facet("kind", "Kind", "kind", choices=dict(ActorKind.choices)),
        Facet("sector", "Sector", "sectors", related=True, parent_field="parent"),
    ]


# The agreements and milestones an institution takes part in are reached through the
# reverse relations their app declares (actor.agreements, actor.milestones and the links
# behind them), so that this app need not import the one built on it.


def partners(actor, agreements, milestones):
    """The published institutions this one shares the most agreements and milestones with."""
    counts = Counter()
    for row in (
        Actor.agreements.through.objects.filter(agreement__in=agreements)
        .exclude(actor=actor)
        .values_list("actor", "agreement")
        .distinct()
    ):
        counts[row[0]] += 1
    for row in (
        Actor.milestones.through.objects.filter(milestone__in=milestones)
        .exclude(actor=actor)
        .values_list("actor", "milestone")
    ):
        counts[row[0]] += 1
    top = Actor.objects.published().in_bulk(list(counts))
    ranked = sorted(top.values(), key=lambda a: (-counts[a.pk], a.name))[:PARTNERS_SHOWN]
    return [(a, counts[a.pk]) for a in ranked]


class ActorDetailView(RecordDetailView):
    model = Actor
    template_name = "actors/actor_detail.html"
    cite_name = "actors:cite"

    def get_queryset(self):
        children = Prefetch("children", queryset=Actor.objects.published())
        return super().get_queryset().prefetch_related(children)

    def get_context_data(self, **kwargs):
        actor = self.object
        agreements = actor.agreements.published().distinct()
        milestones = actor.milestones.published()
        latest = [*REVERSE_CHRONOLOGICAL, "-title"]
        self.agreement_list = list(
            agreements.order_by(*latest)[:SHOWN].prefetch_related("sectors")
        )[::-1]
        self.milestone_list = list(milestones.order_by(*latest)[:SHOWN])[::-1]
        roles = {}
        for link in actor.agreement_links.filter(agreement__in=agreements):
            roles.setdefault(link.agreement_id, []).append(link.get_role_display())
        for agreement in self.agreement_list:
            agreement.roles = roles.get(agreement.pk, [])
        context = super().get_context_data(**kwargs)
        context.update(
            agreements=self.agreement_list,
            agreement_count=agreements.count(),
            milestones=self.milestone_list,
            milestone_count=milestones.count(),
            shown=SHOWN,
            partners=partners(actor, agreements, milestones),
        )
        return context

    def related_records(self):
        return self.agreement_list + self.milestone_list


actor_detail = ActorDetailView.as_view()

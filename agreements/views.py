from django.db.models import Prefetch
from django.shortcuts import render
from django.utils import timezone

from actors.models import Actor, Country
from agreements.filters import AgreementFilter, MilestoneFilter
from agreements.models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Milestone,
    MilestoneKind,
)
from ijtech import fragments
from ijtech.browse import Facet, FacetedListView, PageError, paginate
from ijtech.datapackage import data_version
from ijtech.dates import REVERSE_CHRONOLOGICAL
from ijtech.models import EditorialStatus, Source, citation_prefetches
from ijtech.page_metadata import dataset_metadata
from ijtech.views import RecordDetailView
from sectors.models import Sector

PUBLISHED = EditorialStatus.PUBLISHED


def record_facets(institutions: str, *kinds: Facet) -> list[Facet]:
    """The facets agreements and milestones share, with their own kind facets after sector.

    `institutions` is the relation to the record's institutions (an agreement's parties, a
    milestone's actors); only published institutions are counted or offered.
    """
    published = {f"{institutions}__editorial_status": PUBLISHED}
    return [
        Facet("sector", "Sector", "sectors", related=True, parent_field="parent"),
        *kinds,
        Facet(
            "country",
            "Institution's country",
            f"{institutions}__country",
            choices=dict(Country.choices),
            where=published,
        ),
        Facet("actor", "Institution", institutions, related=True, where=published),
        Facet("tag", "Tag", "tags", related=True),
        Facet("year", "Year", "year", by_value_descending=True),
    ]


class AgreementListView(FacetedListView):
    model = Agreement
    filterset_class = AgreementFilter
    template_name = "agreements/agreement_list.html"
    export_name = "agreements:export"
    facets = record_facets(
        "parties",
        Facet("kind", "Kind of instrument", "kind", choices=dict(AgreementKind.choices)),
        Facet("status", "Status", "status", choices=dict(AgreementStatus.choices)),
    )


class AgreementDetailView(RecordDetailView):
    model = Agreement
    template_name = "agreements/agreement_detail.html"
    cite_name = "agreements:cite"
    # How the agreement relates to the others, in the order the page lists them.
    lineage = [
        ("builds_on", "Builds on"),
        ("supersedes", "Supersedes"),
        ("built_upon_by", "Built on by"),
        ("superseded_by", "Superseded by"),
    ]

    def get_queryset(self):
        milestones = Milestone.objects.published().chronological()
        return (
            super()
            .get_queryset()
            .with_lineage()
            .prefetch_related(Prefetch("milestones", queryset=milestones))
        )

    def related_records(self):
        return self.object.milestones.all()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lineage = [(label, getattr(self.object, name).all()) for name, label in self.lineage]
        # Every relation, each shown only if it has agreements; none when none has any.
        context["lineage"] = lineage if any(records for _, records in lineage) else []
        return context


agreement_detail = AgreementDetailView.as_view()


class MilestoneListView(FacetedListView):
    model = Milestone
    filterset_class = MilestoneFilter
    template_name = "agreements/milestone_list.html"
    export_name = "milestones:export"
    facets = record_facets(
        "actors", Facet("kind", "Kind", "kind", choices=dict(MilestoneKind.choices))
    )


class MilestoneDetailView(RecordDetailView):
    model = Milestone
    template_name = "agreements/milestone_detail.html"
    cite_name = "milestones:cite"

    def get_queryset(self):
        return super().get_queryset().with_outcomes()

    def related_records(self):
        agreement = self.object.public_agreement
        return [agreement] if agreement else []


milestone_detail = MilestoneDetailView.as_view()


def pledges(request):
    queryset = (
        Milestone.objects.published()
        .pledges()
        .with_disputed()
        .select_related("agreement", "occasion")
        .prefetch_related("sectors", *citation_prefetches())
        .chronological()
    )
    try:
        page = paginate(queryset, request.GET.get("page"), 50)
    except PageError as exc:
        return render(request, "agreements/pledges.html", {"errors": [str(exc)]}, status=400)
    return render(request, "agreements/pledges.html", {"page_obj": page, "errors": []})


def home(request):
    """The front page: what ijtech holds, the latest milestones, the sectors."""
    sectors = (
        Sector.objects.filter(parent__isnull=True).with_record_counts().order_by("order", "name")
    )
    return render(
        request,
        "home.html",
        {
            # Until the next public change (ijtech/fragments.py).
            "counts": fragments.cached(
                ("home-counts",),
                lambda: {
                    "agreements": Agreement.objects.published().count(),
                    "milestones": Milestone.objects.published().count(),
                    "actors": Actor.objects.published().count(),
                    "sources": Source.objects.count(),
                },
            ),
            # Projections dated in the future are not "recent".
            "recent": Milestone.objects.published()
            .filter(year__lte=timezone.localdate().year)
            .order_by(*REVERSE_CHRONOLOGICAL, "title")
            .select_related("agreement")[:6],
            "sectors": sectors,
            "page_meta": dataset_metadata(request),
            "data_version": data_version(),
        },
    )

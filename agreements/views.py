from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from actors.models import Actor, Country
from agreements.filters import AgreementFilter, MilestoneFilter
from agreements.lineage import agreement_chain
from agreements.models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Milestone,
    MilestoneKind,
)
from agreements.over_time import CSV_COLUMNS, agreements_over_time
from ijtech import fragments
from ijtech.browse import Facet, FacetedListView, PageError, paginate
from ijtech.datapackage import data_version
from ijtech.dates import REVERSE_CHRONOLOGICAL
from ijtech.exports import (
    EXPORT_TYPES,
    attachment,
    error_response,
    license_link,
    record_url,
    to_csv,
)
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

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.filterset.is_valid():
            # The charts follow the list's filters, and their CSV link keeps them. They are
            # aggregates like the facets, kept until the next public change.
            filters = sorted(
                (k, v) for k, v in self.request.GET.lists() if k not in ("page", "show")
            )
            context["over_time"] = fragments.cached(
                ("agreements-over-time", filters),
                lambda: agreements_over_time(self.filterset.qs),
            )
            query = self.request.GET.copy()
            query.pop("page", None)
            context["over_time_query"] = f"?{query.urlencode()}" if query else ""
        return context


def chart_csv(request):
    """The numbers of the agreements-over-time charts, for the same filters as the list."""
    filterset = AgreementFilter(
        request.GET, queryset=Agreement.objects.published(), request=request
    )
    if not filterset.is_valid():
        return error_response(filterset, "csv")
    rows = [row for chart in agreements_over_time(filterset.qs) for row in chart.csv_rows()]
    response = attachment(
        to_csv(rows, CSV_COLUMNS), EXPORT_TYPES["csv"], "ijtech-agreements-per-year.csv"
    )
    return license_link(response)


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
        related = {name: list(getattr(self.object, name).all()) for name, _ in self.lineage}
        # The corpus often records a replacement as both "builds on" and "supersedes": each
        # link is listed once, under the stronger "supersedes".
        for weaker, stronger in (("builds_on", "supersedes"), ("built_upon_by", "superseded_by")):
            related[weaker] = [a for a in related[weaker] if a not in related[stronger]]
        lineage = [(label, related[name]) for name, label in self.lineage]
        # Every relation, each shown only if it has agreements; none when none has any.
        context["lineage"] = lineage if any(records for _, records in lineage) else []
        # The whole chain, drawn, only when the agreement has a link at all.
        context["chain"] = (
            agreement_chain(self.object, self.object.milestones.all())
            if context["lineage"]
            else None
        )
        return context


agreement_detail = AgreementDetailView.as_view()

LINEAGE_COLUMNS = [
    "earlier",
    "earlier_date",
    "relation",
    "later",
    "later_date",
    "earlier_url",
    "later_url",
]


def lineage_csv(request, slug):
    """The links of the lineage diagram on an agreement's page, one row each."""
    agreement = get_object_or_404(Agreement.objects.published(), slug=slug)
    chain = agreement_chain(agreement, [])
    rows = [
        {
            "earlier": link.earlier.title,
            "earlier_date": link.earlier.date_display,
            "relation": link.relation,
            "later": link.later.title,
            "later_date": link.later.date_display,
            "earlier_url": record_url(link.earlier),
            "later_url": record_url(link.later),
        }
        for link in (chain.links if chain else [])
    ]
    response = attachment(
        to_csv(rows, LINEAGE_COLUMNS), EXPORT_TYPES["csv"], f"ijtech-lineage-{slug}.csv"
    )
    return license_link(response)


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
            # Projections dated in the future are not "recent". The latest year's rows are
            # sorted by month and day past agreements_ms_status_year: kept until the next
            # public change.
            "recent": fragments.rows(
                Milestone.objects.published()
                .filter(year__lte=timezone.localdate().year)
                .order_by(*REVERSE_CHRONOLOGICAL, "title")
                .select_related("agreement")[:6]
            ),
            "sectors": sectors,
            "page_meta": dataset_metadata(request),
            "data_version": data_version(),
        },
    )

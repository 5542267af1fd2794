from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from actors.models import Country
from agreements.filters import AgreementFilter, MilestoneFilter
from agreements.models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Milestone,
    MilestoneKind,
    published_actors,
    published_parties,
)
from agreements.timeline import timeline as timeline  # routed from here by milestone_urls
from ijtech.browse import Facet, FacetedListView, PageError, paginate
from ijtech.citeformats import formats_for
from ijtech.records import (
    PUBLISHED,
    citation_prefetches,
    disagreement_versions,
    related_disagreements,
)


class AgreementListView(FacetedListView):
    model = Agreement
    filterset_class = AgreementFilter
    template_name = "agreements/agreement_list.html"
    export_name = "export-agreements"
    facets = [
        Facet("sector", "Sector", "sectors", related=True, parent_field="parent"),
        Facet("kind", "Kind of instrument", "kind", choices=dict(AgreementKind.choices)),
        Facet("status", "Status", "status", choices=dict(AgreementStatus.choices)),
        Facet(
            "country",
            "Institution's country",
            "parties__country",
            choices=dict(Country.choices),
            where={"parties__editorial_status": PUBLISHED},
        ),
        Facet(
            "actor",
            "Institution",
            "parties",
            related=True,
            limit=15,
            where={"parties__editorial_status": PUBLISHED},
        ),
        Facet("tag", "Tag", "tags", related=True, limit=15),
        Facet("year", "Year", "year", by_value_descending=True),
    ]


def agreement_detail(request, slug):
    agreement = get_object_or_404(
        Agreement.objects.published()
        .with_disputed()
        .prefetch_related(
            published_parties(),
            "sectors",
            "tags",
            Prefetch("builds_on", queryset=Agreement.objects.published()),
            Prefetch("built_upon_by", queryset=Agreement.objects.published()),
            Prefetch("supersedes", queryset=Agreement.objects.published()),
            Prefetch("superseded_by", queryset=Agreement.objects.published()),
            Prefetch("milestones", queryset=Milestone.objects.published().chronological()),
            *citation_prefetches(),
        ),
        slug=slug,
    )
    return render(
        request,
        "agreements/agreement_detail.html",
        {
            "record": agreement,
            "agreement": agreement,
            "disagreements": disagreement_versions(agreement),
            "related_disagreements": related_disagreements(agreement.milestones.all()),
            "cite": formats_for(agreement),
            "cite_name": "cite-agreement",
        },
    )


class MilestoneListView(FacetedListView):
    model = Milestone
    filterset_class = MilestoneFilter
    template_name = "agreements/milestone_list.html"
    export_name = "export-milestones"
    facets = [
        Facet("sector", "Sector", "sectors", related=True, parent_field="parent"),
        Facet("kind", "Kind", "kind", choices=dict(MilestoneKind.choices)),
        Facet(
            "country",
            "Institution's country",
            "actors__country",
            choices=dict(Country.choices),
            where={"actors__editorial_status": PUBLISHED},
        ),
        Facet(
            "actor",
            "Institution",
            "actors",
            related=True,
            limit=15,
            where={"actors__editorial_status": PUBLISHED},
        ),
        Facet("tag", "Tag", "tags", related=True, limit=15),
        Facet("year", "Year", "year", by_value_descending=True),
    ]


def milestone_detail(request, slug):
    milestone = get_object_or_404(
        Milestone.objects.published()
        .with_disputed()
        .select_related("agreement", "occasion")
        .prefetch_related(
            published_actors(),
            "sectors",
            "tags",
            Prefetch("outcomes", queryset=Milestone.objects.published().chronological()),
            *citation_prefetches(),
        ),
        slug=slug,
    )
    if milestone.agreement and not milestone.agreement.is_published:
        milestone.agreement = None
    if milestone.occasion and not milestone.occasion.is_published:
        milestone.occasion = None
    return render(
        request,
        "agreements/milestone_detail.html",
        {
            "record": milestone,
            "milestone": milestone,
            "disagreements": disagreement_versions(milestone),
            "related_disagreements": related_disagreements(
                [milestone.agreement] if milestone.agreement else []
            ),
            "cite": formats_for(milestone),
            "cite_name": "cite-milestone",
        },
    )


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

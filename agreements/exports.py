"""How agreements and milestones become export rows: their columns, in order."""

from agreements.filters import AgreementFilter, MilestoneFilter
from agreements.models import LINEAGE, Agreement, Milestone
from ijtech.exports import (
    DATE_COLUMNS,
    RECORD_TAIL,
    Export,
    date_fields,
    decimal_text,
    record_tail,
    slugs,
    tag_names,
)
from sectors.exports import sector_names


def agreement_row(agreement) -> dict:
    return {
        "slug": agreement.slug,
        "title": agreement.title,
        "kind": agreement.kind,
        "kind_label": agreement.get_kind_display(),
        "status": agreement.status,
        **date_fields(agreement),
        "summary": agreement.summary,
        "parties": [
            f"{link.actor.name} ({link.get_role_display()})" for link in agreement.party_links.all()
        ],
        "sectors": sector_names(agreement),
        "tags": tag_names(agreement),
        "builds_on": slugs(agreement.builds_on),
        "built_upon_by": slugs(agreement.built_upon_by),
        "supersedes": slugs(agreement.supersedes),
        "superseded_by": slugs(agreement.superseded_by),
        **record_tail(agreement),
    }


def milestone_row(milestone) -> dict:
    agreement = milestone.public_agreement
    occasion = milestone.public_occasion
    return {
        "slug": milestone.slug,
        "title": milestone.title,
        "kind": milestone.kind,
        "kind_label": milestone.get_kind_display(),
        **date_fields(milestone),
        "summary": milestone.summary,
        "agreement": agreement.slug if agreement else None,
        "occasion": occasion.slug if occasion else None,
        "actors": [actor.name for actor in milestone.actors.all()],
        "sectors": sector_names(milestone),
        "tags": tag_names(milestone),
        "amount": decimal_text(milestone.amount),
        "unit": milestone.unit,
        "deadline_year": milestone.deadline_year,
        "deadline_text": milestone.deadline_text,
        "deadline_derived": milestone.deadline_derived,
        "delivery_note": milestone.delivery_note,
        **record_tail(milestone),
    }


def agreements():
    return Agreement.objects.public().detailed().with_lineage()


def milestones():
    return Milestone.objects.public().detailed()


AGREEMENTS = Export(
    "agreements",
    AgreementFilter,
    agreements,
    agreement_row,
    ["slug", "title", "kind", "kind_label", "status", *DATE_COLUMNS, "summary"]
    + ["parties", "sectors", "tags", *LINEAGE, *RECORD_TAIL],
)

MILESTONES = Export(
    "milestones",
    MilestoneFilter,
    milestones,
    milestone_row,
    ["slug", "title", "kind", "kind_label", *DATE_COLUMNS, "summary", "agreement", "occasion"]
    + ["actors", "sectors", "tags", "amount", "unit", "deadline_year"]
    + ["deadline_text", "deadline_derived", "delivery_note", *RECORD_TAIL],
)

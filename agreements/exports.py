"""How agreements and milestones become export rows: their columns, in order."""

from agreements.filters import AgreementFilter, MilestoneFilter
from agreements.models import (
    LINEAGE,
    Agreement,
    AgreementKind,
    AgreementStatus,
    Milestone,
    MilestoneKind,
    PartyRole,
)
from ijtech.exports import (
    DATE_COLUMNS,
    DATE_FIELDS,
    RECORD_TAIL,
    RECORD_TAIL_FIELDS,
    SLUG_FIELD,
    Column,
    Export,
    date_fields,
    decimal_text,
    labels,
    record_tail,
    slugs,
    tag_names,
    values,
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
    fields={
        "slug": SLUG_FIELD,
        "title": Column("The agreement's title.", required=True),
        "kind": Column("What kind of instrument it is.", enum=values(AgreementKind)),
        "kind_label": Column("The kind as the pages show it.", enum=labels(AgreementKind)),
        "status": Column(
            "Where the agreement stands, as the sources report it.", enum=values(AgreementStatus)
        ),
        **DATE_FIELDS,
        "summary": Column("What the agreement does, paraphrased from the sources."),
        "parties": Column(
            "The parties, each as “institution name (role)”, signatories first; the roles are "
            + ", ".join(labels(PartyRole))
            + ".",
            many=True,
        ),
        "sectors": Column("The sectors it covers, by name.", many=True, names="sectors.name"),
        "tags": Column("Free keywords, in alphabetical order.", many=True),
        "builds_on": Column(
            "Published agreements this one builds on, by slug.", many=True, names="agreements.slug"
        ),
        "built_upon_by": Column(
            "Published agreements that build on this one, by slug.",
            many=True,
            names="agreements.slug",
        ),
        "supersedes": Column(
            "Published agreements this one replaces, by slug.", many=True, names="agreements.slug"
        ),
        "superseded_by": Column(
            "Published agreements that replace this one, by slug.",
            many=True,
            names="agreements.slug",
        ),
        **RECORD_TAIL_FIELDS,
    },
    title="Agreements",
    description="MoUs, MoCs, inter-governmental agreements, joint statements, programmes and "
    "dialogue mechanisms between Indian and Japanese parties.",
)

MILESTONES = Export(
    "milestones",
    MilestoneFilter,
    milestones,
    milestone_row,
    ["slug", "title", "kind", "kind_label", *DATE_COLUMNS, "summary", "agreement", "occasion"]
    + ["actors", "sectors", "tags", "amount", "unit", "deadline_year"]
    + ["deadline_text", "deadline_derived", "delivery_note", *RECORD_TAIL],
    fields={
        "slug": SLUG_FIELD,
        "title": Column("The milestone's title.", required=True),
        "kind": Column("What kind of event it is.", enum=values(MilestoneKind)),
        "kind_label": Column("The kind as the pages show it.", enum=labels(MilestoneKind)),
        **DATE_FIELDS,
        "summary": Column("What happened, paraphrased from the sources."),
        "agreement": Column(
            "The published agreement the milestone belongs to, by slug.",
            references="agreements.slug",
        ),
        "occasion": Column(
            "The published milestone (a summit, a forum) it is an outcome of, by slug.",
            references="milestones.slug",
        ),
        "actors": Column("The institutions involved, by name.", many=True, names="actors.name"),
        "sectors": Column("The sectors it concerns, by name.", many=True, names="sectors.name"),
        "tags": Column("Free keywords, in alphabetical order.", many=True),
        "amount": Column("A pledged or reported amount, as a plain number.", "number"),
        "unit": Column("The amount's unit as the source gives it (a currency, a count)."),
        "deadline_year": Column("The year a pledge is due, when known.", "integer"),
        "deadline_text": Column("The source's own words for the deadline."),
        "deadline_derived": Column(
            "true when deadline_year is counted from a relative deadline, not stated.", "boolean"
        ),
        "delivery_note": Column("What the sources say of a pledge's delivery."),
        **RECORD_TAIL_FIELDS,
    },
    title="Milestones",
    description="Dated events: signings, launches, summits, pledges and their deadlines.",
)

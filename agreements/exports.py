"""How agreements and milestones are exported: the API's serializers over the filtered lists,
and what each of their CSV columns means."""

from agreements.api import (
    AgreementSerializer,
    MilestoneSerializer,
    public_agreements,
    public_milestones,
)
from agreements.filters import AgreementFilter, MilestoneFilter
from agreements.models import AgreementKind, AgreementStatus, MilestoneKind, PartyRole
from ijtech.export_columns import API_URL_FIELD, RECORD_TAIL_FIELDS, SLUG_FIELD, URL_FIELD
from ijtech.exports import (
    DATE_FIELDS,
    ITEM_SEPARATOR,
    PART_SEPARATOR,
    Column,
    Export,
    labels,
    values,
)

# A party as the CSV writes it: the institution's slug and its role, "jaxa:implementer".
PARTY_PATTERN = r"[-a-zA-Z0-9_]+" + PART_SEPARATOR + "(" + "|".join(values(PartyRole)) + ")"

AGREEMENTS = Export(
    "agreements",
    AgreementFilter,
    public_agreements,
    AgreementSerializer,
    fields={
        "slug": SLUG_FIELD,
        "url": URL_FIELD,
        "api_url": API_URL_FIELD,
        "title": Column("The agreement's title.", required=True),
        **DATE_FIELDS,
        "kind": Column("What kind of instrument it is.", enum=values(AgreementKind)),
        "kind_label": Column("The kind as the pages show it.", enum=labels(AgreementKind)),
        "status": Column(
            "Where the agreement stands, as the sources report it.", enum=values(AgreementStatus)
        ),
        "sectors": Column("The sectors it covers, by slug.", many=True, names="sectors.slug"),
        "parties": Column(
            "The parties, signatories first, each as “institution slug:role”; the roles are "
            + ", ".join(values(PartyRole))
            + ".",
            many=True,
            delimiter=ITEM_SEPARATOR,
            names="actors.slug",
            item_pattern=PARTY_PATTERN,
        ),
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
        "summary": Column("What the agreement does, paraphrased from the sources."),
        **RECORD_TAIL_FIELDS,
    },
    title="Agreements",
    description="MoUs, MoCs, inter-governmental agreements, joint statements, programmes and "
    "dialogue mechanisms between Indian and Japanese parties.",
)

MILESTONES = Export(
    "milestones",
    MilestoneFilter,
    public_milestones,
    MilestoneSerializer,
    fields={
        "slug": SLUG_FIELD,
        "url": URL_FIELD,
        "api_url": API_URL_FIELD,
        "title": Column("The milestone's title.", required=True),
        **DATE_FIELDS,
        "kind": Column("What kind of event it is.", enum=values(MilestoneKind)),
        "kind_label": Column("The kind as the pages show it.", enum=labels(MilestoneKind)),
        "agreement": Column(
            "The published agreement the milestone belongs to, by slug.",
            references="agreements.slug",
        ),
        "occasion": Column(
            "The published milestone (a summit, a forum) it is an outcome of, by slug.",
            references="milestones.slug",
        ),
        "outcomes": Column(
            "Published milestones announced at this one (a summit's pledges), by slug.",
            many=True,
            names="milestones.slug",
        ),
        "sectors": Column("The sectors it concerns, by slug.", many=True, names="sectors.slug"),
        "actors": Column("The institutions involved, by slug.", many=True, names="actors.slug"),
        "tags": Column("Free keywords, in alphabetical order.", many=True),
        "amount": Column("A pledged or reported amount, as a plain number.", "number"),
        "unit": Column("The amount's unit as the source gives it (a currency, a count)."),
        "deadline_year": Column("The year a pledge is due, when known.", "integer"),
        "deadline_text": Column("The source's own words for the deadline."),
        "deadline_derived": Column(
            "true when deadline_year is counted from a relative deadline, not stated.", "boolean"
        ),
        "delivery_note": Column("What the sources say of a pledge's delivery."),
        "summary": Column("What happened, paraphrased from the sources."),
        **RECORD_TAIL_FIELDS,
    },
    title="Milestones",
    description="Dated events: signings, launches, summits, pledges and their deadlines.",
)

from rest_framework import serializers

from actors.api import ActorRefSerializer
from agreements.filters import AgreementFilter, MilestoneFilter
from agreements.models import Agreement, AgreementParty, Milestone
from ijtech.api import (
    RECORD_TAIL,
    PartialDateSerializer,
    ReadOnlyViewSet,
    RecordSerializer,
    RelatedSlugField,
    TagsField,
    api_url,
    documented,
)
from sectors.api import SectorRefSerializer


def published_slugs(help_text):
    """The slugs of related records, as the viewset's queryset prefetched them.

    The field shows whatever the relation holds: the querysets keep it to published records
    (with_lineage, with_outcomes).
    """
    return serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True, help_text=help_text
    )


# Each resource's fields, in the API, the JSON export and (flattened) the CSV header alike.
AGREEMENT_FIELDS = [
    "slug",
    "url",
    "api_url",
    "title",
    "date",
    "kind",
    "kind_label",
    "status",
    "sectors",
    "parties",
    "tags",
    "builds_on",
    "built_upon_by",
    "supersedes",
    "superseded_by",
    "summary",
    *RECORD_TAIL,
]

MILESTONE_FIELDS = [
    "slug",
    "url",
    "api_url",
    "title",
    "date",
    "kind",
    "kind_label",
    "agreement",
    "occasion",
    "outcomes",
    "sectors",
    "actors",
    "tags",
    "amount",
    "unit",
    "deadline_year",
    "deadline_text",
    "deadline_derived",
    "delivery_note",
    "summary",
    *RECORD_TAIL,
]


class PartySerializer(serializers.ModelSerializer):
    slug = serializers.SlugField(source="actor.slug", read_only=True)
    name = serializers.CharField(source="actor.name", read_only=True)
    acronym = serializers.CharField(source="actor.acronym", read_only=True)
    country = serializers.CharField(source="actor.country", read_only=True)

    class Meta:
        model = AgreementParty
        fields = ["slug", "name", "acronym", "country", "role"]


class AgreementSerializer(RecordSerializer):
    api_url = api_url("agreement")
    date = PartialDateSerializer(source="*", read_only=True)
    sectors = SectorRefSerializer(many=True, read_only=True)
    parties = PartySerializer(source="party_links", many=True, read_only=True)
    tags = TagsField()
    builds_on = published_slugs("Earlier agreements this one extends or continues.")
    built_upon_by = published_slugs("Later agreements that extend or continue this one.")
    supersedes = published_slugs("Earlier agreements this one replaces.")
    superseded_by = published_slugs("Later agreements that replace this one.")

    class Meta:
        model = Agreement
        fields = AGREEMENT_FIELDS


class MilestoneSerializer(RecordSerializer):
    api_url = api_url("milestone")
    date = PartialDateSerializer(source="*", read_only=True)
    sectors = SectorRefSerializer(many=True, read_only=True)
    actors = ActorRefSerializer(many=True, read_only=True)
    tags = TagsField()
    agreement = RelatedSlugField(source="public_agreement")
    occasion = RelatedSlugField(source="public_occasion")
    outcomes = published_slugs("Milestones announced at this one, e.g. a summit's pledges.")

    class Meta:
        model = Milestone
        fields = MILESTONE_FIELDS


def public_agreements():
    return Agreement.objects.public().detailed().with_lineage()


def public_milestones():
    return Milestone.objects.public().detailed().with_outcomes()


@documented(AgreementSerializer)
class AgreementViewSet(ReadOnlyViewSet):
    """Published agreements, newest first unless a search or `sort` orders them."""

    serializer_class = AgreementSerializer
    filterset_class = AgreementFilter

    def public_queryset(self):
        return public_agreements()


@documented(MilestoneSerializer)
class MilestoneViewSet(ReadOnlyViewSet):
    """Published milestones: signings, summits, pledges and the rest."""

    serializer_class = MilestoneSerializer
    filterset_class = MilestoneFilter

    def public_queryset(self):
        return public_milestones()

"""
The read-only JSON API: published records with their citations, filtered like the pages.

Every list runs a fixed number of queries whatever its length: related records come from
prefetches whose querysets keep only what is published, so drafts never leak into a payload.
"""

import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Choices, Prefetch
from django.http import JsonResponse
from django.views import defaults
from django_filters import ChoiceFilter, ModelChoiceFilter, ModelMultipleChoiceFilter
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.plumbing import (
    build_array_type,
    build_basic_type,
    build_choice_description_list,
    build_parameter_type,
)
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from drf_spectacular.views import SpectacularAPIView
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.fields import get_error_detail
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from actors.filters import ActorFilter
from actors.models import Actor
from agreements.filters import AgreementFilter, MilestoneFilter
from agreements.models import (
    Agreement,
    AgreementParty,
    Milestone,
    published_actors,
    published_parties,
)
from ijtech.dates import MAX_YEAR, MIN_YEAR, Precision
from ijtech.disagreements import disagreement_versions
from ijtech.filters import MAX_FILTER_VALUES, SlugsFilter, SourceFilter, YearFilter
from ijtech.models import Citation, EditorialStatus, Source, citation_prefetches
from sectors.filters import SectorFilter
from sectors.models import Sector

PUBLISHED = EditorialStatus.PUBLISHED
SLUG_RE = re.compile(r"[-a-zA-Z0-9_]+")


# Errors ----------------------------------------------------------------------------------


def _messages(value) -> list[str]:
    if isinstance(value, dict):
        return [f"{key}: {message}" for key, item in value.items() for message in _messages(item)]
    if isinstance(value, list | tuple):
        return [message for item in value for message in _messages(item)]
    return [str(value)]


def exception_handler(exc, context):
    """DRF's handler, with every error reshaped to {"errors": {param: [messages]}}."""
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(detail=get_error_detail(exc))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # Not an API error: let Django log it and answer 500.
    data = response.data
    if isinstance(data, dict) and not isinstance(exc, ValidationError):
        errors = {"detail": _messages(data.get("detail", data))}
    elif isinstance(data, dict):
        errors = {
            (api_settings.NON_FIELD_ERRORS_KEY if key == "__all__" else key): _messages(value)
            for key, value in data.items()
        }
    else:
        errors = {api_settings.NON_FIELD_ERRORS_KEY: _messages(data)}
    response.data = {"errors": errors}
    return response


def page_not_found(request, exception):
    """The site's 404 page, but JSON for any address under /api/, as the API documents."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "errors": {
                    "detail": [f"There is nothing at {request.path}; /api/ lists what there is."]
                }
            },
            status=404,
        )
    return defaults.page_not_found(request, exception)


class ErrorSerializer(serializers.Serializer):
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages keyed by query parameter, or by 'detail' for the request as a whole.",
    )


# Schema ----------------------------------------------------------------------------------


class SlugFilterExtension(DjangoFilterExtension):
    """
    Slug-keyed choice filters (?sector=space) are strings: drf-spectacular's own extension
    cannot follow their "sectors__slug" paths to a model field and warns. And for a choice
    filter given a Choices class it lists no values at all. This one, having a higher
    priority, answers for those filters and leaves the rest to it.
    """

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = self._resolve(auto_schema, model, filterset_class, field_name, filter_field)
        for parameter in parameters:
            schema = parameter["schema"]
            if isinstance(filter_field, YearFilter):
                schema.update(type="integer", minimum=MIN_YEAR, maximum=MAX_YEAR)
            elif "enum" in schema and "" not in schema["enum"]:
                # The pages' forms send an empty choice for "any"; the API takes it the same way.
                schema["enum"].append("")
                parameter["description"] = (
                    parameter.get("description", "") + "\n\nEmpty: any."
                ).strip()
            if isinstance(filter_field, SlugsFilter):
                schema["items"].update(minLength=1, pattern=r"^[-a-zA-Z0-9_]+$")
                schema["maxItems"] = MAX_FILTER_VALUES
            elif filter_field.extra.get("to_field_name") == "slug":
                schema["pattern"] = r"^[-a-zA-Z0-9_]*$"  # empty: any
        return parameters

    def _resolve(self, auto_schema, model, filterset_class, field_name, filter_field):
        choices = filter_field.extra.get("choices")
        if (
            isinstance(filter_field, ChoiceFilter)
            and isinstance(choices, type)
            and issubclass(choices, Choices)
        ):
            pairs = choices.choices
            return [
                build_parameter_type(
                    name=field_name,
                    schema=build_basic_type(OpenApiTypes.STR),
                    location=OpenApiParameter.QUERY,
                    description=f"{filter_field.label}\n\n{build_choice_description_list(pairs)}",
                    enum=[value for value, _ in pairs],
                )
            ]
        if not (
            isinstance(filter_field, ModelChoiceFilter | ModelMultipleChoiceFilter)
            and filter_field.extra.get("to_field_name") == "slug"
        ):
            return super().resolve_filter_field(
                auto_schema, model, filterset_class, field_name, filter_field
            )
        schema = build_basic_type(OpenApiTypes.STR)
        repeatable = isinstance(filter_field, ModelMultipleChoiceFilter)
        description = f"{filter_field.label}, by slug"
        if repeatable:
            schema = build_array_type(schema)
            description += (
                f"; repeat the parameter to require several (at most {MAX_FILTER_VALUES} "
                "different ones)"
            )
        return [
            build_parameter_type(
                name=field_name,
                schema=schema,
                location=OpenApiParameter.QUERY,
                description=description + ".",
                explode=True if repeatable else None,
                style="form" if repeatable else None,
            )
        ]


class SchemaView(SpectacularAPIView):
    """The schema, whatever `?version=` says: the API has one version, and drf-spectacular
    would copy the parameter into the Content-Disposition header (CR/LF there is a 500, a
    quote a forged header parameter)."""

    def _get_version_parameter(self, request):
        return None


# Pagination ------------------------------------------------------------------------------


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        limits = {
            self.page_query_param: {"minimum": 1},
            self.page_size_query_param: {"minimum": 1, "maximum": self.max_page_size},
        }
        for parameter in parameters:
            parameter["schema"].update(limits.get(parameter["name"], {}))
        return parameters

    def get_page_size(self, request):
        # DRF quietly falls back to the default for a bad page_size; say what is wrong instead.
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        f"“{raw}” is not a page size; give a whole number from 1 to "
                        f"{self.max_page_size}."
                    ]
                }
            )
        return size

    def paginate_queryset(self, queryset, request, view=None):
        # A bad page number is bad input (400), not a missing resource (DRF's 404).
        self.request = request
        page_size = self.get_page_size(request)
        paginator = self.django_paginator_class(queryset, page_size)
        page_number = self.get_page_number(request, paginator)
        try:
            self.page = paginator.page(page_number)
        except PageNotAnInteger:
            raise self._page_error(f"“{page_number}” is not a page number.") from None
        except EmptyPage:
            pages = paginator.num_pages
            raise self._page_error(
                f"Page {page_number} does not exist; there {'is' if pages == 1 else 'are'} "
                f"{pages} page{'' if pages == 1 else 's'} of results."
            ) from None
        if paginator.num_pages > 1 and self.template is not None:
            self.display_page_controls = True
        return list(self.page)

    def _page_error(self, message):
        return ValidationError({self.page_query_param: [message]})


# Fields shared by several resources ------------------------------------------------------


@extend_schema_field(OpenApiTypes.URI)
class PageURLField(serializers.Field):
    """The absolute URL of the record's public page."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        return self.context["request"].build_absolute_uri(value.get_absolute_url())


@extend_schema_field(serializers.SlugField(allow_null=True))
class PublishedSlugField(serializers.Field):
    """The slug of a related record, or null when that record is not published."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return value.slug if value.is_published else None


@extend_schema_field(serializers.ListField(child=serializers.CharField()))
class TagsField(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance):
        # The manager itself, so the prefetched tags are read rather than queried again.
        return instance.tags

    def to_representation(self, value):
        return sorted((tag.name for tag in value.all()), key=str.casefold)


def api_url(basename):
    return serializers.HyperlinkedIdentityField(
        view_name=f"api-{basename}-detail", lookup_field="slug", read_only=True
    )


class SectorRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["slug", "name"]


class SourceRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["slug", "title"]


class CitationSerializer(serializers.ModelSerializer):
    source = SourceRefSerializer(read_only=True)

    class Meta:
        model = Citation
        fields = ["source", "locator", "quote", "supports", "position", "note"]


class VersionSerializer(serializers.ModelSerializer):
    source = serializers.SlugField(source="source.slug", read_only=True)

    class Meta:
        model = Citation
        fields = ["source", "position", "quote"]


class DisagreementSerializer(serializers.Serializer):
    """One entry of `disagreement_versions`: the disagreement and the citations behind it."""

    aspect = serializers.CharField(source="disagreement.aspect", read_only=True)
    explanation = serializers.CharField(source="disagreement.explanation", read_only=True)
    versions = VersionSerializer(many=True, read_only=True)


@extend_schema_field(DisagreementSerializer(many=True))
class DisagreementsField(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        # Built from the prefetched citations and disagreements: no query per record.
        return DisagreementSerializer(disagreement_versions(value), many=True).data


class PartialDateSerializer(serializers.Serializer):
    year = serializers.IntegerField(read_only=True)
    year_end = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The last year of a span of years."
    )
    month = serializers.IntegerField(read_only=True, allow_null=True)
    day = serializers.IntegerField(read_only=True, allow_null=True)
    qualifier = serializers.CharField(source="date_qualifier", read_only=True)
    precision = serializers.ChoiceField(choices=Precision.choices, read_only=True)
    display = serializers.CharField(source="date_display", read_only=True)
    iso = serializers.CharField(
        source="date_iso",
        read_only=True,
        help_text="ISO 8601, with EDTF '~' and 'X' marks and '1990/1991' spans.",
    )


class RecordSerializer(serializers.ModelSerializer):
    """Fields every published record carries."""

    url = PageURLField()
    sectors = SectorRefSerializer(many=True, read_only=True)
    disputed = serializers.BooleanField(source="is_disputed", read_only=True)
    citations = CitationSerializer(many=True, read_only=True)
    disagreements = DisagreementsField()


# Resources -------------------------------------------------------------------------------


class PartySerializer(serializers.ModelSerializer):
    slug = serializers.SlugField(source="actor.slug", read_only=True)
    name = serializers.CharField(source="actor.name", read_only=True)
    acronym = serializers.CharField(source="actor.acronym", read_only=True)
    country = serializers.CharField(source="actor.country", read_only=True)

    class Meta:
        model = AgreementParty
        fields = ["slug", "name", "acronym", "country", "role"]


class ActorRefSerializer(serializers.ModelSerializer):
    # A plain string: a second "country" enum here would only repeat the Actor one.
    country = serializers.CharField(read_only=True)

    class Meta:
        model = Actor
        fields = ["slug", "name", "acronym", "country"]


class AgreementSerializer(RecordSerializer):
    api_url = api_url("agreement")
    date = PartialDateSerializer(source="*", read_only=True)
    parties = PartySerializer(source="party_links", many=True, read_only=True)
    tags = TagsField()

    class Meta:
        model = Agreement
        fields = [
            "slug",
            "url",
            "api_url",
            "title",
            "date",
            "kind",
            "status",
            "sectors",
            "parties",
            "tags",
            "summary",
            "disputed",
            "citations",
            "disagreements",
        ]


class MilestoneSerializer(RecordSerializer):
    api_url = api_url("milestone")
    date = PartialDateSerializer(source="*", read_only=True)
    actors = ActorRefSerializer(many=True, read_only=True)
    tags = TagsField()
    agreement = PublishedSlugField()
    occasion = PublishedSlugField()

    class Meta:
        model = Milestone
        fields = [
            "slug",
            "url",
            "api_url",
            "title",
            "date",
            "kind",
            "agreement",
            "occasion",
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
            "disputed",
            "citations",
            "disagreements",
        ]


class ActorSerializer(RecordSerializer):
    api_url = api_url("actor")
    parent = PublishedSlugField()

    class Meta:
        model = Actor
        fields = [
            "slug",
            "url",
            "api_url",
            "name",
            "acronym",
            "country",
            "kind",
            "parent",
            "website",
            "description",
            "sectors",
            "disputed",
            "citations",
            "disagreements",
        ]


class SectorSerializer(serializers.ModelSerializer):
    url = PageURLField()
    api_url = api_url("sector")
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    agreement_count = serializers.IntegerField(
        read_only=True, help_text="Published agreements in this sector."
    )
    milestone_count = serializers.IntegerField(
        read_only=True, help_text="Published milestones in this sector."
    )

    class Meta:
        model = Sector
        fields = [
            "slug",
            "url",
            "api_url",
            "name",
            "description",
            "parent",
            "agreement_count",
            "milestone_count",
        ]


class SourceSerializer(serializers.ModelSerializer):
    # "url" is the document's own address, as in the model; the ijtech page is "page_url".
    page_url = PageURLField()
    api_url = api_url("source")
    citation_count = serializers.IntegerField(
        read_only=True, help_text="Citations of this source in published records."
    )

    class Meta:
        model = Source
        fields = [
            "slug",
            "page_url",
            "api_url",
            "authors",
            "title",
            "publisher",
            "year",
            "month",
            "day",
            "kind",
            "url",
            "note",
            "citation_count",
        ]


# Querysets -------------------------------------------------------------------------------


def published_records(model):
    return model.objects.published().with_disputed()


def record_prefetches():
    return [Prefetch("sectors", queryset=Sector.objects.all()), *citation_prefetches()]


def agreement_queryset():
    return published_records(Agreement).prefetch_related(
        published_parties(), "tags", *record_prefetches()
    )


def milestone_queryset():
    return (
        published_records(Milestone)
        .select_related("agreement", "occasion")
        .prefetch_related(
            published_actors(),
            "tags",
            *record_prefetches(),
        )
    )


def actor_queryset():
    return published_records(Actor).select_related("parent").prefetch_related(*record_prefetches())


def sector_queryset():
    return (
        Sector.objects.select_related("parent").with_record_counts().order_by("order", "name", "pk")
    )


def source_queryset():
    return Source.objects.with_citation_counts().order_by("authors", "title", "pk")


# Views -----------------------------------------------------------------------------------


def documented(serializer_class):
    return extend_schema_view(
        list=extend_schema(responses={200: serializer_class(many=True), 400: ErrorSerializer}),
        retrieve=extend_schema(responses={200: serializer_class, 404: ErrorSerializer}),
    )


class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    # Public and read-only: no sessions to look up, so a signed-in editor costs no queries.
    authentication_classes = ()
    permission_classes = (AllowAny,)
    lookup_field = "slug"
    pagination_class = Pagination
    queryset_factory = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            # Schema generation only needs the model, not a database (it may have none yet).
            return self.filterset_class._meta.model.objects.none()
        return type(self).queryset_factory()

    def get_object(self):
        # The list's filters do not apply to a single record, and a slug that could not be
        # one is simply not found (a NUL byte would otherwise reach PostgreSQL and fail).
        slug = self.kwargs[self.lookup_field]
        model = self.filterset_class._meta.model
        if SLUG_RE.fullmatch(slug):
            try:
                obj = self.get_queryset().get(slug=slug)
            except model.DoesNotExist:
                pass
            else:
                self.check_object_permissions(self.request, obj)
                return obj
        raise NotFound(f"There is no {model._meta.verbose_name} “{slug}”.")


@documented(AgreementSerializer)
class AgreementViewSet(ReadOnlyViewSet):
    """Published agreements, newest first unless a search or `sort` orders them."""

    serializer_class = AgreementSerializer
    filterset_class = AgreementFilter
    queryset_factory = staticmethod(agreement_queryset)


@documented(MilestoneSerializer)
class MilestoneViewSet(ReadOnlyViewSet):
    """Published milestones: signings, summits, pledges and the rest."""

    serializer_class = MilestoneSerializer
    filterset_class = MilestoneFilter
    queryset_factory = staticmethod(milestone_queryset)


@documented(ActorSerializer)
class ActorViewSet(ReadOnlyViewSet):
    """Published institutions."""

    serializer_class = ActorSerializer
    filterset_class = ActorFilter
    queryset_factory = staticmethod(actor_queryset)


@documented(SectorSerializer)
class SectorViewSet(ReadOnlyViewSet):
    """Fields of cooperation, with how many published records each holds."""

    serializer_class = SectorSerializer
    filterset_class = SectorFilter
    queryset_factory = staticmethod(sector_queryset)


@documented(SourceSerializer)
class SourceViewSet(ReadOnlyViewSet):
    """The sources cited by the records."""

    serializer_class = SourceSerializer
    filterset_class = SourceFilter
    queryset_factory = staticmethod(source_queryset)

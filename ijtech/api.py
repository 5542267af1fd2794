"""
The read-only JSON API's shared parts: error shaping, the schema extension, the fields and
base serializer every published record uses, and the base viewset; plus the sources, which
belong to the citation core. Each app's api.py holds its own resources, and the root
URLconf registers them.

Every list runs a fixed number of queries whatever its length: related records come from
prefetches whose querysets keep only what is published, so drafts never leak into a payload.
"""

import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Choices
from django.http import JsonResponse
from django.urls import reverse
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
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from ijtech.dates import MAX_YEAR, MIN_YEAR, Precision
from ijtech.disagreements import disagreement_versions
from ijtech.exports import cited_sources
from ijtech.filters import MAX_FILTER_VALUES, SlugsFilter, SourceFilter, YearFilter
from ijtech.models import Citation, Source

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
    Slug-keyed choice filters (?tag=lunar) are strings: drf-spectacular's own extension
    cannot follow their "<relation>__slug" paths to a model field and warns. And for a choice
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
            elif field_name == "q":
                # Django's form fields refuse a NUL character with a 400; say so.
                schema["pattern"] = r"^[^\x00]*$"
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


# Fields shared by several resources ------------------------------------------------------


@extend_schema_field(OpenApiTypes.URI)
class PageURLField(serializers.Field):
    """The absolute URL of the record's public page."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        return absolute(self.context, value.get_absolute_url())


def absolute(context, path: str) -> str:
    """An absolute URL: on the canonical site for the exports, on the request's host here."""
    if "site_url" in context:
        return context["site_url"] + path
    return context["request"].build_absolute_uri(path)


@extend_schema_field(serializers.SlugField(allow_null=True))
class RelatedSlugField(serializers.Field):
    """The slug of a related record, or null when there is none.

    Give it a source that is already "the published record or nothing", such as a model's
    public_* accessor.
    """

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return value.slug


@extend_schema_field(serializers.ListField(child=serializers.CharField()))
class TagsField(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance):
        # The manager itself, so the prefetched tags are read rather than queried again.
        return instance.tags

    def to_representation(self, value):
        return sorted((tag.name for tag in value.all()), key=str.casefold)


@extend_schema_field(OpenApiTypes.URI)
class ApiURLField(serializers.Field):
    """The absolute URL of the record in this API."""

    def __init__(self, view_name, **kwargs):
        self.view_name = view_name
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        return absolute(self.context, reverse(self.view_name, kwargs={"slug": value.slug}))


def api_url(basename):
    return ApiURLField(f"api-{basename}-detail")


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
        fields = ["source", "locator", "position", "quote"]


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


@extend_schema_field(serializers.ListField(child=serializers.SlugField()))
class SourceSlugsField(serializers.Field):
    """The slugs of the distinct sources the record's citations rest on, in citation order."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        return cited_sources(value)


@extend_schema_field(OpenApiTypes.INT)
class CitationCountField(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        return len(value.citations.all())  # the prefetched citations: no COUNT query


@extend_schema_field(serializers.ListField(child=serializers.CharField()))
class AlternativeNamesField(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(
            source="*",
            read_only=True,
            help_text="The other names the sources give this record (a disputed name).",
            **kwargs,
        )

    def to_representation(self, value):
        return value.alternative_names()


# The fields every published record ends with, in the API, the JSON export and the CSV.
RECORD_TAIL = [
    "alternative_names",
    "disputed",
    "sources",
    "citation_count",
    "citations",
    "disagreements",
]


class RecordSerializer(serializers.ModelSerializer):
    """Fields every published record carries."""

    url = PageURLField()
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    alternative_names = AlternativeNamesField()
    disputed = serializers.BooleanField(source="is_disputed", read_only=True)
    sources = SourceSlugsField()
    citation_count = CitationCountField()
    citations = CitationSerializer(many=True, read_only=True)
    disagreements = DisagreementsField()


# Views -----------------------------------------------------------------------------------


def documented(serializer_class):
    return extend_schema_view(
        list=extend_schema(responses={200: serializer_class(many=True), 400: ErrorSerializer}),
        retrieve=extend_schema(responses={200: serializer_class, 404: ErrorSerializer}),
    )


class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """A resource's list and detail; subclasses give its published queryset."""

    # Public and read-only: no sessions to look up, so a signed-in editor costs no queries.
    authentication_classes = ()
    lookup_field = "slug"

    def public_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        # The schema is generated without a database (`check --deploy`, `spectacular`): the
        # model is all it needs, and the published querysets look up content types.
        if getattr(self, "swagger_fake_view", False):
            return self.filterset_class._meta.model.objects.none()
        return self.public_queryset()

    def get_object(self):
        # The list's filters do not apply to a single record, and a slug that could not be
        # one is simply not found (a NUL byte would otherwise reach PostgreSQL and fail).
        slug = self.kwargs[self.lookup_field]
        queryset = self.get_queryset()
        if SLUG_RE.fullmatch(slug):
            try:
                obj = queryset.get(slug=slug)
            except queryset.model.DoesNotExist:
                pass
            else:
                self.check_object_permissions(self.request, obj)
                return obj
        raise NotFound(f"There is no {queryset.model._meta.verbose_name} “{slug}”.")


# Sources, the citation core's own resource ----------------------------------------------


# The source's fields, in the API, the JSON export and the CSV header alike.
SOURCE_FIELDS = [
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


class SourceSerializer(serializers.ModelSerializer):
    # "url" is the document's own address, as in the model; the ijtech page is "page_url".
    page_url = PageURLField()
    api_url = api_url("source")
    citation_count = serializers.IntegerField(
        read_only=True, help_text="Citations of this source in published records."
    )

    class Meta:
        model = Source
        fields = SOURCE_FIELDS


@documented(SourceSerializer)
class SourceViewSet(ReadOnlyViewSet):
    """The sources cited by the records."""

    serializer_class = SourceSerializer
    filterset_class = SourceFilter

    def public_queryset(self):
        return Source.objects.public()

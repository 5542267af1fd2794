"""The API's search, /api/search/: every kind of public record, ranked, as the search page."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from ijtech import search, site_search
from ijtech.api import ErrorSerializer
from ijtech.pagination import Pagination


class SearchPagination(Pagination):
    page_size = site_search.PER_PAGE
    page_size_query_param = None


class SearchHitSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="The type of record, one of those `type` takes.")
    slug = serializers.SlugField()
    title = serializers.CharField()
    url = serializers.URLField(help_text="The absolute URL of the record's public page.")
    date = serializers.CharField(
        allow_null=True, help_text="The date as the pages show it; null for an undated record."
    )
    snippet = serializers.CharField(
        help_text="Some thirty words around the first match, as HTML: the text escaped, "
        "the matched words in <mark>."
    )
    rank = serializers.IntegerField(help_text="Higher is better; ties list the newest first.")


class SearchResultsSerializer(serializers.Serializer):
    query = serializers.CharField(help_text="The search as typed.")
    searched_for = serializers.CharField(help_text="The words searched for, as parsed.")
    corrected = serializers.BooleanField(
        help_text="Whether misspelt words were corrected; literal=1 turns correction off."
    )
    count = serializers.IntegerField(help_text="Results of the chosen type (all, without one).")
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text="Results of each type, whatever `type` is."
    )
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = SearchHitSerializer(many=True)


def _parameters():
    return [
        OpenApiParameter(
            "q",
            {"type": "string", "maxLength": search.MAX_QUERY_LENGTH},
            required=True,
            description="The words to search for: every word must match; words of four "
            f"letters or more match as prefixes. At most {search.MAX_QUERY_LENGTH} characters.",
        ),
        OpenApiParameter(
            "type",
            OpenApiTypes.STR,
            # The page's form sends an empty type for "all"; the API takes it the same way.
            enum=[*site_search.kinds(), ""],
            description="Only records of this type.\n\nEmpty or left out: all types.",
        ),
        OpenApiParameter(
            "literal",
            OpenApiTypes.STR,
            enum=["", "0", "1", "false", "true"],
            description="1: search for the words as typed, without correcting misspellings.",
        ),
        OpenApiParameter(
            "page",
            {"type": "integer", "minimum": 1},
            description=f"The page of {site_search.PER_PAGE} results.",
        ),
    ]


class SearchView(GenericAPIView):
    """Search every kind of public record at once, best matches first."""

    # Public and read-only, like the other resources: no session to look up.
    authentication_classes = ()
    pagination_class = SearchPagination
    serializer_class = SearchResultsSerializer
    # The search takes its own parameters; the router's filter backends have nothing to do.
    filter_backends = ()

    @extend_schema(
        operation_id="search",
        parameters=_parameters(),
        responses={200: SearchResultsSerializer, 400: ErrorSerializer},
    )
    def get(self, request):
        try:
            asked = site_search.read(request.query_params)
        except site_search.BadSearch as error:
            raise ValidationError(error.errors) from None
        found = site_search.run(asked)
        paginator = self.paginator
        entries = paginator.paginate_queryset(found.entries, request, view=self)
        results = [
            {
                "type": hit.kind,
                "slug": hit.record.slug,
                "title": site_search.title_of(hit.record),
                "url": request.build_absolute_uri(hit.record.get_absolute_url()),
                "date": site_search.date_text(hit.record),
                "snippet": str(hit.snippet),
                "rank": hit.rank,
            }
            for hit in found.hits(entries)
        ]
        return Response(
            {
                "query": found.plan.query,
                "searched_for": found.plan.searched_for,
                "corrected": found.plan.corrected,
                "count": paginator.page.paginator.count,
                "counts": {kind: found.counts.get(kind, 0) for kind in site_search.kinds()},
                "next": paginator.get_next_link(),
                "previous": paginator.get_previous_link(),
                "results": results,
            }
        )

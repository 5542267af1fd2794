"""
Pagination for the list pages and the API, with one message for a page that is not there.

Asking for page 7 of 3 is the reader's mistake, not a missing resource: pages answer it as
a bad request naming the pages there are, and the API does the same rather than DRF's 404.
"""

from django.core import paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from ijtech import fragments


class PageError(Exception):
    pass


class Paginator(paginator.Paginator):
    @cached_property
    def count(self):
        # The public lists' querysets, counted once per public change (ijtech/fragments.py):
        # COUNT(*) over a filtered 100,000 rows is most of a page's time otherwise.
        if isinstance(self.object_list, QuerySet):
            return fragments.count(self.object_list)
        return super().count

    def page(self, number):
        try:
            return super().page(number)
        except paginator.PageNotAnInteger:
            raise PageError(f"“{number}” is not a page number.") from None
        except paginator.EmptyPage:
            pages = self.num_pages
            raise PageError(
                f"Page {number} does not exist; there {'is' if pages == 1 else 'are'} "
                f"{pages} page{'' if pages == 1 else 's'} of results."
            ) from None


def paginate(queryset, page_param: str | None, per_page: int):
    return Paginator(queryset, per_page).page(page_param or 1)


class Pagination(PageNumberPagination):
    """The API's pages: ?page= and ?page_size=, a bad value of either being a 400."""

    # Here rather than in ijtech/api.py: REST_FRAMEWORK names this class, and DRF imports it
    # while defining its generic views, which ijtech/api.py itself imports.
    django_paginator_class = Paginator
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
        try:
            return super().paginate_queryset(queryset, request, view)
        except PageError as exc:
            raise ValidationError({self.page_query_param: [str(exc)]}) from None

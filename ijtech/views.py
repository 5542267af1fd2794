"""The citation core's pages (sources, disagreements) and the base of record pages.

They reach the records through the app registry: every Editorial model is a record type.
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.generic import DetailView

from ijtech import fragments
from ijtech.active_filters import active_filters
from ijtech.citeformats import formats_for, to_csl
from ijtech.disagreements import disagreement_versions, related_disagreements
from ijtech.filters import SourceFilter, error_messages
from ijtech.models import Citation, Source, citation_prefetches, editorial_models
from ijtech.page_metadata import record_metadata
from ijtech.references import references


def record_models():
    """The record types, those of apps built on the others first (as the menu lists them)."""
    configs = list(apps.get_app_configs())
    # A stable sort: within an app, the models keep the order they are defined in.
    return sorted(editorial_models(), key=lambda model: -configs.index(model._meta.app_config))


class RecordDetailView(DetailView):
    """A published record's page: where its sources disagree, and how to cite it.

    The formatted references and the page metadata are built from the same CSL-JSON item
    as the citation files, out of the rows the page has already loaded.

    The record is in the context as `record` and under its model name; `related_records()`
    gives the published related records whose disagreements concern this one too.
    """

    cite_name = ""  # the URL name of the record's citation downloads

    def get_queryset(self):
        return self.model.objects.public().detailed()

    def related_records(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = self.object
        item = to_csl(record, timezone.localdate())
        context.update(
            record=record,
            disagreements=disagreement_versions(record),
            related_disagreements=related_disagreements(self.related_records()),
            cite=formats_for(record),
            cite_name=self.cite_name,
            references=references(item),
            page_meta=record_metadata(self.request, record, item),
        )
        return context


# The sources' pages and the disagreements page list at most this many records of each
# kind: a source cited by thousands of records is still one page.
SHOWN = 50


def by_name(records):
    """The records by title (or, for institutions, name), case aside, as the pages list them."""
    model = records.model
    name = "title" if any(f.name == "title" for f in model._meta.fields) else "name"
    return records.order_by(Lower(name), "pk")


def disagreements(request):
    """The published records on which the sources disagree, with each version: the first
    SHOWN of each kind by name, and how many there are (the exports list them all)."""
    groups = []
    for model in record_models():
        records = model.objects.published().disputed()
        first = by_name(records)[:SHOWN].prefetch_related(*citation_prefetches())
        # Until the next public change (ijtech/fragments.py).
        items = [(record, disagreement_versions(record)) for record in fragments.rows(first)]
        label = model._meta.verbose_name_plural.capitalize()
        groups.append((label, items, fragments.count(records)))
    total = sum(count for _, _, count in groups)
    return render(request, "disagreements.html", {"groups": groups, "total": total, "shown": SHOWN})


def source_list(request):
    """The bibliography, filtered by the same SourceFilter as its exports and the API."""
    filterset = SourceFilter(request.GET, queryset=Source.objects.public())
    context = {"filterset": filterset, "form_params": ["q", "literal", "kind"], "errors": []}
    if not filterset.is_valid():
        context.update(sources=[], errors=error_messages(filterset))
        return render(request, "sources/source_list.html", context, status=400)
    context["sources"] = filterset.qs
    context["active_filters"] = active_filters(request.GET, [], filterset.form)
    return render(request, "sources/source_list.html", context)


def source_detail(request, slug):
    source = get_object_or_404(Source, slug=slug)
    cited = []
    for model in record_models():
        content_type = ContentType.objects.get_for_model(model)
        # A subquery of the citing records' keys: no join multiplies the rows.
        citing = Citation.objects.filter(source=source, content_type=content_type)
        records = model.objects.published().filter(pk__in=citing.values("object_id"))
        first = by_name(records)[:SHOWN].prefetch_related(
            Prefetch("citations", queryset=citing, to_attr="from_source")
        )
        # Until the next public change (ijtech/fragments.py).
        count = fragments.count(records)
        cited.append((model._meta.verbose_name_plural.capitalize(), fragments.rows(first), count))
    total = sum(count for _, _, count in cited)
    item = to_csl(source, timezone.localdate())
    context = {
        "source": source,
        "cited": cited,
        "total": total,
        "shown": SHOWN,
        # The citation files of the work itself, as the record pages offer theirs.
        "record": source,
        "cite": formats_for(source),
        "cite_name": "sources:cite",
        "cite_heading": "Cite this source",
        "references": references(item),
        "page_meta": record_metadata(request, source, item),
    }
    return render(request, "sources/source_detail.html", context)

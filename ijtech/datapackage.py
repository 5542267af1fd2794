"""The whole published dataset as one versioned Frictionless data package.

The package holds each export as a CSV file with its Table Schema, and the corpus files
(as `dump_corpus` writes them) of the published records. The exports come from the
URLconf: every route that serves the `export` view with an `Export` spec is one table, and
one that serves `citations_export` adds that spec's citations file, so the core lists no
resource of its own accord. The schema is made from each table's `fields`, the same
definitions the About page's data dictionary shows.
"""

import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Max, Sum
from django.http import QueryDict
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from ijtech import content_version, corpus, fragments
from ijtech.exports import (
    DATA_LICENSE,
    DATA_LICENSE_NOTE,
    CitationsExport,
    Column,
    Export,
    citations_export,
    export,
)
from ijtech.models import Editorial

CODE_LICENSE = "MIT"


def served(view) -> list[Export]:
    """Every spec the URLconf passes to `view`, in the URLconf's order, each once."""
    found: dict[str, Export] = {}

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and pattern.callback is view:
                spec = pattern.default_args.get("spec")
                if isinstance(spec, Export):
                    found.setdefault(spec.name, spec)

    walk(get_resolver().url_patterns)
    return list(found.values())


def exports() -> list[Export]:
    """Every records export the URLconf serves."""
    return served(export)


def tables() -> list[Export | CitationsExport]:
    """Every file of the package: each export, then the citations files of those that have one."""
    cited = {spec.name for spec in served(citations_export)}
    specs = exports()
    return specs + [CitationsExport(spec) for spec in specs if spec.name in cited]


# --- Table Schema ----------------------------------------------------------------------------


def field_schema(name: str, column: Column) -> dict:
    schema = {"name": name, "description": column.description}
    constraints = {}
    if column.many and column.item_pattern:
        # Table Schema lists take no constraints: the joined list is a string matching it.
        item = f"({column.item_pattern})"
        delimiter = re.escape(column.delimiter)
        schema["type"] = "string"
        constraints["pattern"] = f"{item}({delimiter}{item})*"
    elif column.many:
        schema |= {"type": "list", "delimiter": column.delimiter, "itemType": "string"}
    else:
        schema["type"] = column.type
        if column.enum:
            constraints["enum"] = list(column.enum)
        if column.pattern:
            constraints["pattern"] = column.pattern
        if column.minimum is not None:
            constraints["minimum"] = column.minimum
        if column.maximum is not None:
            constraints["maximum"] = column.maximum
    if column.format:
        schema["format"] = column.format
    if column.type == "boolean" and not column.many:
        schema |= {"trueValues": ["true"], "falseValues": ["false"]}
    if column.required:
        constraints["required"] = True
    if constraints:
        schema["constraints"] = constraints
    return schema


def table_schema(spec: Export | CitationsExport) -> dict:
    schema = {
        "fields": [field_schema(name, spec.column(name)) for name in spec.columns],
        "missingValues": [""],
    }
    if spec.primary_key:
        schema["primaryKey"] = [spec.primary_key]
    foreign_keys = []
    for name in spec.columns:
        if target := spec.column(name).references:
            resource, column = target.split(".")
            # A reference to the file itself is written without its name, as the spec asks.
            reference = {"resource": "" if resource == spec.name else resource}
            foreign_keys.append({"fields": [name], "reference": reference | {"fields": [column]}})
    if foreign_keys:
        schema["foreignKeys"] = foreign_keys
    return schema


# --- The published corpus and its version ----------------------------------------------------


def published(model):
    """Every row of the model the public may see: published records, or all supporting rows."""
    manager = model._default_manager
    return manager.published() if issubclass(model, Editorial) else manager.all()


def fixtures() -> dict[str, list[dict]]:
    """The corpus files of the published records, links to unpublished records left out."""
    visible = {
        kind: set(published(codec.model).values_list("slug", flat=True))
        for kind, codec in corpus.registry.items()
    }
    files = {}
    for kind, codec in corpus.registry.items():
        records = []
        # A subquery, not the slugs as parameters, and the prefetches in chunks: SQLite
        # refuses a statement with 100,000 of them.
        shown = published(codec.model).values("slug")
        rows = codec.queryset().filter(slug__in=shown).order_by("slug")
        for obj in rows.iterator(chunk_size=500):
            record = codec.serialize(obj)
            for key, target in codec.links.items():
                if isinstance(record[key], list):
                    record[key] = [slug for slug in record[key] if slug in visible[target]]
                elif record[key] not in visible[target]:
                    record[key] = None
            records.append(record)
        files[kind] = records
    return files


@dataclass(frozen=True)
class DataVersion:
    last_change: object  # a date, or None for an empty database
    digest: str

    @property
    def label(self) -> str:
        day = self.last_change.isoformat() if self.last_change else "empty"
        return f"{day}-{self.digest}"

    @property
    def filename(self) -> str:
        return f"ijtech-data-{self.label}.zip"


def stamp() -> list:
    """A cheap summary that changes whenever a published row is saved, added or removed."""
    summary = []
    for codec in corpus.registry.values():
        model = codec.model
        names = {f.name for f in model._meta.get_fields()}
        aggregates = {"n": Count("pk")}
        if "version" in names:
            aggregates["v"] = Sum("version")
        if "updated_at" in names:
            aggregates["u"] = Max("updated_at")
        summary.append([codec.kind, published(model).aggregate(**aggregates)])
    return summary


def data_version() -> DataVersion:
    """The data version: the day of the last change and a digest of what the public sees.

    The digest covers the stamp of each kind of record and the content version, which every
    public change bumps (ijtech/content_version.py); it costs a query per kind, not a read
    of the corpus, and is kept in the cache of fragments until the next public change.
    """
    return fragments.cached(("data-version",), _data_version)


def _data_version() -> DataVersion:
    summary = stamp()
    version = content_version.current()
    digest = hashlib.sha256(f"{summary!r}:{version.key}".encode()).hexdigest()[:8]
    changes = [row["u"] for _, row in summary if row.get("u")]
    last = timezone.localdate(max(changes)) if changes else None
    return DataVersion(last, digest)


# --- The package ------------------------------------------------------------------------------


def descriptor(version: DataVersion, site_url: str) -> dict:
    resources = [
        {
            "name": spec.name,
            "title": spec.title or spec.name,
            "description": spec.description,
            "path": f"data/{spec.name}.csv",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": table_schema(spec),
        }
        for spec in tables()
    ]
    record_files = len(exports())
    resources += [
        {
            "name": f"corpus-{kind}",
            "title": f"Corpus file {codec.file}",
            "description": "The published records as `manage.py load_corpus` reads them, "
            "citations and disagreements nested in each record.",
            "path": f"corpus/{codec.file}",
            "type": "json",
            "format": "json",
            "mediatype": "application/json",
            "encoding": "utf-8",
        }
        for kind, codec in corpus.registry.items()
    ]
    return {
        "name": "ijtech",
        "title": "ijtech: India–Japan technology diplomacy, a source-cited knowledge base",
        "description": "The published records of ijtech ("
        + ", ".join(resource["title"].lower() for resource in resources[:record_files])
        + "), each fact cited to one of its sources. "
        + DATA_LICENSE_NOTE,
        "version": version.label,
        "homepage": site_url + "/data/",
        "licenses": [DATA_LICENSE],
        "resources": resources,
    }


def csv_files(request) -> dict[str, str]:
    """Each table's CSV of every published record, in its list's default order: the bytes
    the unfiltered list export (or citations file) serves."""
    files, records = {}, {}
    for table in tables():
        spec = table.spec if isinstance(table, CitationsExport) else table
        if spec.name not in records:
            filterset = spec.filterset_class(QueryDict(), queryset=spec.queryset(), request=request)
            records[spec.name] = filterset.qs
        files[table.name] = table.csv(records[spec.name])
    return files


LICENSE_TEXT = """ijtech data licence

{note}

Licence: {title} ({path}).
Attribution: "ijtech, India–Japan technology diplomacy, data version {version}, {url}".
"""


def build_zip(request, version: DataVersion, site_url: str) -> bytes:
    buffer = io.BytesIO()
    package = descriptor(version, site_url)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(package, ensure_ascii=False, indent=2))
        for name, text in csv_files(request).items():
            archive.writestr(f"data/{name}.csv", text)
        for kind, records in fixtures().items():
            archive.writestr(f"corpus/{corpus.FILES[kind]}", corpus.render(records))
        archive.writestr(
            "LICENSE-DATA.txt",
            LICENSE_TEXT.format(
                note=DATA_LICENSE_NOTE,
                version=version.label,
                url=site_url + "/",
                **DATA_LICENSE,
            ),
        )
    return buffer.getvalue()


def package_bytes(request, version: DataVersion, site_url: str) -> bytes:
    """The zip of a version, built once and kept: the same version, the same bytes."""
    key = f"ijtech-data-zip:{site_url}:{version.label}"
    if (content := cache.get(key)) is None:
        content = build_zip(request, version, site_url)
        cache.set(key, content, 24 * 3600)
    return content

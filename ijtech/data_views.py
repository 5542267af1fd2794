"""The About page (method, sources, licence, citation, data dictionary) and the bulk download."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from ijtech.datapackage import CODE_LICENSE, data_version, package_bytes, tables
from ijtech.exports import DATA_LICENSE, DATA_LICENSE_NOTE, EDTF_PATTERN, license_link
from ijtech.models import Source
from ijtech.urls_abs import site_url


def dictionary() -> list[dict]:
    """Each file of the data package with its columns as the data dictionary lists them."""
    entries = []
    for spec in tables():
        columns = []
        for name in spec.columns:
            column = spec.column(name)
            if column.many:
                kind = f"list of text, separated by “{column.delimiter}”"
            else:
                kind = {"string": "text"}.get(column.type, column.type)
            columns.append(
                {
                    "name": name,
                    "type": kind,
                    "column": column,
                    "key": name == spec.primary_key,
                    "refers": column.references or column.names,
                }
            )
        entries.append({"spec": spec, "columns": columns})
    return entries


def citation(version) -> str:
    return (
        f"ijtech: India–Japan technology diplomacy, a source-cited knowledge base. "
        f"Data version {version.label}. {site_url()}/ (licensed {DATA_LICENSE['name']})."
    )


def common(version) -> dict:
    return {
        "version": version,
        "license": DATA_LICENSE,
        "license_note": DATA_LICENSE_NOTE,
        "code_license": CODE_LICENSE,
        "citation": citation(version),
        "download": reverse("data-download", args=[version.label]),
    }


@require_safe
def about(request):
    version = data_version()
    context = common(version) | {
        "sources": Source.objects.public(),
        "tables": dictionary(),
        "edtf_pattern": EDTF_PATTERN,
    }
    return render(request, "about.html", context)


@require_safe
def data_page(request):
    version = data_version()
    context = common(version) | {"tables": dictionary()}
    return render(request, "data.html", context)


@require_safe
def latest(request):
    """The current version's zip, under its versioned name."""
    return redirect("data-download", data_version().label)


@require_safe
def download(request, version: str):
    current = data_version()
    # Only the current version is built; an older one is gone from the database.
    if version != current.label:
        raise Http404(f"No data version “{version}”; the current one is {current.label}.")
    etag = f'"{current.label}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
        response["ETag"] = etag
        return response
    response = HttpResponse(
        package_bytes(request, current, site_url(request)), content_type="application/zip"
    )
    response["Content-Disposition"] = f'attachment; filename="{current.filename}"'
    response["ETag"] = etag
    return license_link(response)

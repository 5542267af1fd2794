from django import template

from ijtech.urls_abs import absolute_url

register = template.Library()


@register.inclusion_tag("includes/page_meta.html", takes_context=True)
def page_meta(context):
    """The page's canonical link, Open Graph, `citation_*` and JSON-LD metadata.

    A view that knows more than the address gives `page_meta` (ijtech.page_metadata);
    every other page gets its canonical address and generic Open Graph tags.
    """
    request = context.get("request")
    meta = dict(context.get("page_meta") or {})
    if request is not None and "canonical" not in meta:
        # The path only: a filtered or paged list is the same page as the list.
        meta["canonical"] = absolute_url(request, request.path)
    meta.setdefault("og_type", "website")
    return {"meta": meta}

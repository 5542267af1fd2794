def navigation(request):
    """The main-menu section of the current page, for aria-current (none on a 404)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return {"nav_section": ""}
    if match.url_name == "timeline":
        return {"nav_section": "timeline"}
    return {"nav_section": match.namespace or match.url_name or ""}

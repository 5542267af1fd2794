def navigation(request):
    """The main-menu section of the current page, for aria-current (none on a 404).

    The section is the URL namespace, else the URL name; a page of a namespace that is a
    section of its own (the timeline) says so in its context, which takes precedence.
    """
    match = getattr(request, "resolver_match", None)
    if match is None:
        return {"nav_section": ""}
    return {"nav_section": match.namespace or match.url_name or ""}

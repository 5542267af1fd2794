from django.core.exceptions import ValidationError


def run_checks(*checks) -> None:
    """Run every check and raise all their errors together, so a form shows them at once."""
    errors: dict = {}
    for check in checks:
        try:
            check()
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def parent_cycle(obj) -> str | None:
    """The chain of slugs ("a → b → a") if obj's new parent leads back to obj, else None.

    Walks the saved parents upwards one query per step; the chains are short (institutions
    sit a few levels deep at most), and a cycle already further up stops the walk.
    """
    if obj.pk is None or obj.parent_id is None:
        return None
    manager = type(obj)._base_manager
    chain, seen, current = [obj.slug], {obj.pk}, obj.parent_id
    while current is not None:
        if current == obj.pk:
            return " → ".join([*chain, obj.slug])
        if current in seen:
            return None
        seen.add(current)
        row = manager.filter(pk=current).values_list("slug", "parent_id").first()
        if row is None:
            return None
        chain.append(row[0])
        current = row[1]
    return None

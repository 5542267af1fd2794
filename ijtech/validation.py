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

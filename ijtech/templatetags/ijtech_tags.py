from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def amount(value) -> str:
    """10 → "10", 500000.000 → "500,000", 1.500 → "1.5": as the sources write amounts."""
    if value is None or value == "":
        return ""
    return format(Decimal(value).normalize(), ",f")

from django import template

from ijtech import review

register = template.Library()


@register.simple_tag
def review_queue_count() -> int:
    return review.queue_count()

"""Atom feed of the latest published milestones."""

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from agreements.models import Milestone
from ijtech.citeformats import record_url
from ijtech.dates import REVERSE_CHRONOLOGICAL

FEED_LENGTH = 50


def _as_datetime(date: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(date, datetime.time.min, tzinfo=datetime.UTC)


class MilestoneFeed(Feed):
    feed_type = Atom1Feed
    title = "ijtech: India–Japan technology milestones"
    subtitle = "The latest signings, summits, launches and pledges, each resting on its sources."
    author_name = "ijtech"

    # Absolute URLs come from SITE_URL, like the citations, rather than from the request's
    # host, so that the feed names the canonical site whichever host served it.
    def link(self):
        return settings.SITE_URL + reverse("milestones:list")

    def feed_url(self):
        return settings.SITE_URL + reverse("milestone-feed")

    def items(self):
        return (
            Milestone.objects.published()
            .order_by(*REVERSE_CHRONOLOGICAL, "-updated_at", "pk")
            .prefetch_related("sectors")[:FEED_LENGTH]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Atom summaries are sent as type="html": the plain-text fields are escaped.
        head = f"{item.date_display} · {item.get_kind_display()}"
        summary = f"<p>{escape(item.summary)}</p>" if item.summary else ""
        return f"<p>{escape(head)}</p>{summary}"

    def item_link(self, item):
        return record_url(item)

    def item_guid(self, item):
        return record_url(item)

    def item_pubdate(self, item):
        # A partial date stands for its first day: "October 2020" is published 1 October.
        return _as_datetime(item.sort_date)

    def item_updateddate(self, item):
        return max(item.updated_at, _as_datetime(item.sort_date))

    def item_categories(self, item):
        return [item.get_kind_display(), *(sector.name for sector in item.sectors.all())]

"""Atom feed of the latest published milestones."""

import datetime
import re

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from agreements.models import Milestone
from ijtech.dates import REVERSE_CHRONOLOGICAL
from ijtech.exports import record_url
from ijtech.urls_abs import absolute_url

FEED_LENGTH = 50

# What XML 1.0 cannot carry. The models refuse control characters, but a row written around
# them must not take the whole feed down for every subscriber.
NOT_XML_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(value):
    return NOT_XML_RE.sub("", value) if isinstance(value, str) else value


class SafeAtom1Feed(Atom1Feed):
    """Atom, with every item's text stripped of what XML 1.0 cannot hold."""

    def add_item(self, *args, **kwargs):
        args = [xml_safe(arg) for arg in args]
        kwargs = {key: xml_safe(value) for key, value in kwargs.items()}
        if kwargs.get("categories"):
            kwargs["categories"] = [xml_safe(category) for category in kwargs["categories"]]
        super().add_item(*args, **kwargs)


def _as_datetime(date: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(date, datetime.time.min, tzinfo=datetime.UTC)


class MilestoneFeed(Feed):
    feed_type = SafeAtom1Feed
    title = "ijtech: India–Japan technology milestones"
    subtitle = "The latest signings, summits, launches and pledges, each resting on its sources."
    author_name = "ijtech"

    # Absolute URLs as in the citations: SITE_URL when it is set, else the host asked.
    def link(self):
        return absolute_url(None, reverse("milestones:list"))

    def feed_url(self):
        return absolute_url(None, reverse("milestones:feed"))

    def items(self):
        latest = Milestone.objects.public().order_by(*REVERSE_CHRONOLOGICAL, "-updated_at", "pk")
        return latest[:FEED_LENGTH]

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

"""Atom feeds: the latest published milestones, and the records recently added or changed."""

import datetime
import re

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from actors.models import Actor
from agreements.models import Agreement, Milestone
from ijtech.dates import REVERSE_CHRONOLOGICAL
from ijtech.exports import record_url
from ijtech.urls_abs import absolute_url
from sectors.models import Sector

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


class ChangesFeed(Feed):
    """Records recently added or changed, newest change first: not the latest by event date.

    Agreements, milestones and institutions together, each entry dated by its last change.
    """

    feed_type = SafeAtom1Feed
    title = "ijtech: recently added or changed records"
    subtitle = "Agreements, milestones and institutions, the latest changed first."
    author_name = "ijtech"

    def link(self):
        return absolute_url(None, reverse("home"))

    def feed_url(self):
        return absolute_url(None, reverse("changes-feed"))

    def records(self, model):
        return model.objects.published()

    def items(self):
        # The newest FEED_LENGTH of each kind hold the newest FEED_LENGTH of all: three
        # queries, whatever the size of the tables.
        changed = [
            record
            for model in (Agreement, Milestone, Actor)
            for record in self.records(model).order_by("-updated_at", "pk")[:FEED_LENGTH]
        ]
        changed.sort(key=lambda record: record.updated_at, reverse=True)
        return changed[:FEED_LENGTH]

    def item_title(self, item):
        return str(item)

    def item_description(self, item):
        kind = item._meta.verbose_name.capitalize()
        text = getattr(item, "summary", "") or getattr(item, "description", "")
        summary = f"<p>{escape(text)}</p>" if text else ""
        return f"<p>{escape(kind)}</p>{summary}"

    def item_link(self, item):
        return record_url(item)

    def item_guid(self, item):
        return record_url(item)

    def item_pubdate(self, item):
        return item.updated_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item._meta.verbose_name.capitalize()]


class SectorChangesFeed(ChangesFeed):
    """The changes feed, kept to the records filed under one sector."""

    def get_object(self, request, slug):
        return get_object_or_404(Sector.objects.public(), slug=slug)

    def title(self, obj):
        return f"ijtech: recently added or changed records in {obj.name}"

    def link(self, obj):
        return absolute_url(None, obj.get_absolute_url())

    def feed_url(self, obj):
        return absolute_url(None, reverse("sector-feed", args=[obj.slug]))

    def get_feed(self, obj, request):
        self.sector = obj
        return super().get_feed(obj, request)

    def records(self, model):
        return model.objects.published().filter(sectors=self.sector)

from django.urls import path

from agreements import timeline, views
from agreements.exports import MILESTONES
from agreements.feeds import MilestoneFeed
from agreements.models import Milestone
from ijtech.citeformats import cite
from ijtech.exports import citations_export, export

app_name = "milestones"
urlpatterns = [
    path("", views.MilestoneListView.as_view(), name="list"),
    # Fixed words come before <slug>/: "feed/" is not a milestone called "feed".
    path("timeline/", timeline.timeline, name="timeline"),
    path("timeline/chart.csv", timeline.chart_csv, name="timeline-chart"),
    path("feed/", MilestoneFeed(), name="feed"),
    path("export.<str:fmt>", export, {"spec": MILESTONES}, name="export"),
    path("citations.csv", citations_export, {"spec": MILESTONES}, name="citations"),
    path("<slug:slug>/", views.milestone_detail, name="detail"),
    path("<slug:slug>/cite.<str:fmt>", cite, {"queryset": Milestone.objects.public}, name="cite"),
]

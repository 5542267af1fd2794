from django.urls import path

from agreements import views

app_name = "milestones"
urlpatterns = [
    path("", views.MilestoneListView.as_view(), name="list"),
    path("timeline/", views.timeline, name="timeline"),
    path("<slug:slug>/", views.milestone_detail, name="detail"),
]

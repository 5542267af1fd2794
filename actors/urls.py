from django.urls import path

from actors import views
from actors.exports import ACTORS
from actors.models import Actor
from ijtech.citeformats import cite
from ijtech.exports import citations_export, export

app_name = "actors"
urlpatterns = [
    path("", views.ActorListView.as_view(), name="list"),
    path("export.<str:fmt>", export, {"spec": ACTORS}, name="export"),
    path("citations.csv", citations_export, {"spec": ACTORS}, name="citations"),
    path("network.csv", views.network_csv, name="network-csv"),
    path("<slug:slug>/", views.actor_detail, name="detail"),
    path("<slug:slug>/network.csv", views.network_csv, name="actor-network-csv"),
    path("<slug:slug>/cite.<str:fmt>", cite, {"queryset": Actor.objects.public}, name="cite"),
]

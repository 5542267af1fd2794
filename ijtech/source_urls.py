from django.urls import path

from ijtech import views
from ijtech.citeformats import cite
from ijtech.exports import export
from ijtech.models import Source
from ijtech.source_exports import SOURCES

app_name = "sources"
urlpatterns = [
    path("", views.source_list, name="list"),
    path("export.<str:fmt>", export, {"spec": SOURCES}, name="export"),
    path("<slug:slug>/", views.source_detail, name="detail"),
    path("<slug:slug>/cite.<str:fmt>", cite, {"queryset": Source.objects.all}, name="cite"),
]

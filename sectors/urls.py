from django.urls import path

from ijtech.exports import export
from sectors import views
from sectors.exports import SECTORS

app_name = "sectors"
urlpatterns = [
    path("", views.sector_list, name="list"),
    path("export.<str:fmt>", export, {"spec": SECTORS}, name="export"),
    path("<slug:slug>/", views.sector_detail, name="detail"),
]

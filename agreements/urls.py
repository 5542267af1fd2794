from django.urls import path

from agreements import views
from agreements.exports import AGREEMENTS
from agreements.models import Agreement
from ijtech.citeformats import cite
from ijtech.exports import citations_export, export

app_name = "agreements"
urlpatterns = [
    path("", views.AgreementListView.as_view(), name="list"),
    path("export.<str:fmt>", export, {"spec": AGREEMENTS}, name="export"),
    path("chart.csv", views.chart_csv, name="chart-csv"),
    path("citations.csv", citations_export, {"spec": AGREEMENTS}, name="citations"),
    path("<slug:slug>/", views.agreement_detail, name="detail"),
    path("<slug:slug>/lineage.csv", views.lineage_csv, name="lineage-csv"),
    path("<slug:slug>/cite.<str:fmt>", cite, {"queryset": Agreement.objects.public}, name="cite"),
]

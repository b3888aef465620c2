from django.urls import path

from notifications.statistics import api

app_name = "statistics_api"
urlpatterns = [
    path("figures/", api.FigureListApi.as_view(), name="figures"),
    path("figures/<slug:key>/", api.FigureDetailApi.as_view(), name="figure"),
]

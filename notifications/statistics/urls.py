from django.urls import path

from notifications.statistics import views

app_name = "statistics"
urlpatterns = [
    path("", views.index, name="index"),
    path("figures/<slug:key>/", views.figure, name="figure"),
    path("<slug:key>.csv", views.figure_download, name="csv"),
    path("summary/<int:year>/", views.summary, name="summary"),
]

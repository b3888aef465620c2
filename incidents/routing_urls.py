from django.urls import path

from incidents import routing

app_name = "routing"
urlpatterns = [
    path("", routing.queue, name="queue"),
    path("<int:decision_pk>/handled/", routing.handle, name="handle"),
]

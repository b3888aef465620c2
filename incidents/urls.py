from django.urls import path

from incidents import views

app_name = "routing"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:decision_pk>/handled/", views.handle, name="handle"),
    path("<int:decision_pk>/pass-on/", views.pass_on, name="pass_on"),
]

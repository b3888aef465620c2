from django.urls import path

from schools import views

app_name = "schools"
urlpatterns = [
    path("", views.home, name="home"),
    path("<int:partnership_id>/schools/", views.schools, name="schools"),
    path("<int:partnership_id>/schools/<int:urn>/", views.school, name="school"),
    path("<int:partnership_id>/schools/<int:urn>/sign-up/", views.sign_up, name="sign_up"),
    path("<int:partnership_id>/schools/<int:urn>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:partnership_id>/schools/<int:urn>/key-adults/add/", views.key_adult_add, name="key_adult_add"),
    path("<int:partnership_id>/key-adults/<int:pk>/", views.key_adult_change, name="key_adult_change"),
    path("<int:partnership_id>/problems/", views.problems, name="problems"),
]

from django.urls import path

from rankings import views

app_name = "rankings"

urlpatterns = [
    path("rankings/", views.index_list, name="index_list"),
    path("rankings/<slug:slug>/", views.index_detail, name="index_detail"),
    path("organizations/", views.OrganizationListView.as_view(), name="organization_list"),
]

from django.urls import path

from dataio import views

# Named without a namespace: the open-data routes were named so before this app had them.
urlpatterns = [
    path("data/", views.data_page, name="data"),
    path("data/<slug:table>.csv", views.data_table, {"fmt": "csv"}, name="data_table_csv"),
    path("data/<slug:table>.json", views.data_table, {"fmt": "json"}, name="data_table_json"),
    path("data/fixtures/<slug:name>.json", views.fixture_file, name="data_fixture"),
]

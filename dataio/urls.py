from django.urls import path

from dataio import views

# Named without a namespace: the open-data routes were named so before this app had them.
urlpatterns = [
    path("data/", views.data_page, name="data"),
    # Before the tables' routes, which would take "dictionary" for a table's name.
    path("data/dictionary.csv", views.data_dictionary, {"fmt": "csv"}, name="data_dictionary_csv"),
    path("data/dictionary.json", views.data_dictionary, {"fmt": "json"}, name="data_dictionary_json"),
    path("data/seoul-city-diplomacy.zip", views.data_archive, name="data_archive"),
    path("data/<slug:table>.csv", views.data_table, {"fmt": "csv"}, name="data_table_csv"),
    path("data/<slug:table>.json", views.data_table, {"fmt": "json"}, name="data_table_json"),
    path("data/fixtures/<slug:name>.json", views.fixture_file, name="data_fixture"),
]

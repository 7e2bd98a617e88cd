"""URLs of the partner-matching API; the host mounts them at ``api/matching/``."""

from django.urls import path

from .views import ProjectSearchView

app_name = "bm_matching_api"

urlpatterns = [
    path("search", ProjectSearchView.as_view(), name="search"),
]

"""Admin URLs of bm_matching, mounted by ``wagtail_hooks`` under namespace ``bm_matching``.

The partnerships and import work adds its views here too; result lists show
"Request partnership" and "Import into my plan" as soon as
``bm_matching:partnership_request`` and ``bm_matching:import_project`` (each taking
the project page id) exist.
"""

from django.urls import path

from . import views

app_name = "bm_matching"

urlpatterns = [
    path("find/", views.FindProjectsView.as_view(), name="find_projects"),
    path("similar/", views.similar_projects, name="similar_projects"),
]

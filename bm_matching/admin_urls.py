"""Admin URLs of bm_matching, mounted by ``wagtail_hooks`` under namespace ``bm_matching``.

The partnerships and import work adds its views here too; result lists show
"Request partnership" and "Import into my plan" as soon as
``bm_matching:partnership_request`` and ``bm_matching:import_project`` (each taking
the project page id) exist.
"""

from django.urls import path

from . import import_views, views

app_name = "bm_matching"

urlpatterns = [
    path("find/", views.FindProjectsView.as_view(), name="find_projects"),
    path("similar/", views.similar_projects, name="similar_projects"),
    path("open/<db_id:project_id>/", views.open_result, name="open_result"),
    # Importing and partnerships (bm_matching/import_views.py).
    path(
        "import/<db_id:project_id>/",
        import_views.ImportProjectView.as_view(),
        name="import_project",
    ),
    path(
        "partnership/<db_id:project_id>/",
        import_views.partnership_request,
        name="partnership_request",
    ),
    path(
        "source-changes/<db_id:project_id>/",
        import_views.SourceChangesView.as_view(),
        name="source_changes",
    ),
]

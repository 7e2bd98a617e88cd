from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo content of the host: ``manage.py load_demo_data``. Not part of the
    plugins: a site that installs bm_pages brings its own content."""

    name = "cms.demo"
    label = "demo"
    verbose_name = "Biblio Monitor demo"

"""A URLconf without the partnership and import views, for the results template test."""

urlpatterns: list = []

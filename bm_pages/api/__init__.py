"""The plugin's APIs.

Two kinds, kept apart (see ``cms/api.py``):

- ``v2``: the public, read-only Wagtail API v2 endpoints for libraries, annual plans
  and projects (live, public pages only; no authentication).
- ``views``: Django REST framework endpoints for authenticated work (plans, projects,
  the annual report), scoped to the libraries the user works for.

``fields`` holds the serialisers the page models use in their ``api_fields``; it must
not import the models.
"""

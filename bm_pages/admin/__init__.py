"""The Wagtail admin of bm_pages, one module per capability.

``viewsets`` mounts every view (URL namespaces, prefixes, menu items); the app's
``wagtail_hooks`` registers the viewsets and the hooks these modules define:
``copy`` (copy to next year), ``team`` and ``library_setup`` (roles), ``scoping``
(own libraries only), ``documents`` and ``environment`` (certification documents),
``assurance`` (completing a cycle), ``network``, ``partnerships``, ``partners`` and
``network_membership`` (the "Netwerk" page), ``reports`` (the annual report),
``api_tokens``, ``framework`` (the vocabulary snippets), ``menu`` and ``views``
(what the others share).
"""

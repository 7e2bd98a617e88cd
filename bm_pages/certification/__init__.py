"""The certification framework as the admin, the audit portal and ``assurance_due``
read it: plain data (dataclasses and lists) for one library and the date to judge by.

- ``environment``: the document environment, ordered by work field and topic;
- ``portal``: plans and projects as the portal shows them, and its headline counts;
- ``assurance``: assurance projects and what is due;
- ``readiness``: readiness per norm.

One place for these queries, so the admin, the portal and the command always agree.
Nothing here checks permissions (``bm_pages.permissions`` and ``documents_access`` do)
or writes. Every function runs a fixed number of queries whatever the number of
documents or projects, except that draft projects are read from their latest revision
(one deserialisation each; a plan has a handful of drafts at most).
"""

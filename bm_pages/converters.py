"""The URL path converter for database ids: ``<db_id:name>``.

Django's ``<int:...>`` accepts any number of digits, so ``/admin/.../2**64/`` reaches
the database and fails there (an overflow on PostgreSQL and SQLite: a 500). Ids are
bigints (``BigAutoField``), so anything above 2**63 - 1 cannot name a row: refusing it
in the converter makes the URL not match, which is a 404 before any view runs.

Registered once, when the ``bm_pages`` package is imported (``bm_pages/__init__.py``),
so every URL pattern of bm_pages and bm_matching (admin URLs and the audit portal's
routes, which are built when their models are imported) can use it.
"""

import re

from django.urls import register_converter

#: The largest value of a signed 64-bit integer: PostgreSQL's bigint, SQLite's INTEGER.
MAX_DATABASE_ID = 2**63 - 1


class DatabaseIdConverter:
    """A positive integer no larger than the database's bigint range."""

    # 19 digits hold every bigint; longer input is refused by the regex already.
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_DATABASE_ID:
            raise ValueError("not a database id")  # Django: no match, so a 404
        return number

    def to_url(self, value) -> str:
        return str(value)


register_converter(DatabaseIdConverter, "db_id")


def parse_database_id(value) -> int | None:
    """An id read from a query string or form (``"12"``), or ``None`` if it is none.

    The same bound as the converter: ``"99999999999999999999"`` is ``None``, so a
    lookup with it never reaches the database.
    """
    text = str(value or "")
    if not re.fullmatch(DatabaseIdConverter.regex, text):
        return None
    number = int(text)
    return number if number <= MAX_DATABASE_ID else None

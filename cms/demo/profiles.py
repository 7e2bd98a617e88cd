"""Demo: each library's profile (inhabitants served, CBS urbanity class).

Inhabitants are rounded sums of the real municipalities; the libraries are
fictional, and their urbanity differs on purpose, so "libraries like mine" changes
what a demo librarian sees (Waddenkust with Harlingen counts as moderately urban).
"""

from __future__ import annotations

from bm_pages.models import LibraryPage

DEMO_PROFILES: dict[str, tuple[int, int]] = {
    "Bibliotheek Waddenkust": (63_000, 3),
    "Bibliotheek Lauwersland": (64_000, 5),
    "Bibliotheek Hogeland Plus": (48_000, 5),
    "Bibliotheek Friese Wouden Oost": (60_000, 5),
    "Bibliotheek Maas en Waal": (38_000, 5),
    "Bibliotheek Betuwe Midden": (69_000, 2),
    "Bibliotheek Lingestreek": (99_000, 4),
    "Bibliotheek Bommelerwaard": (55_000, 4),
    "Bibliotheek De Eilanden": (51_000, 5),
    "Bibliotheek Schouwen en Tholen": (61_000, 5),
    "Bibliotheek Hoeksche Delta": (89_000, 4),
    "Bibliotheek Zeeuwse Zuidkust": (78_000, 3),
}


def ensure_demo_profile(library: LibraryPage) -> None:
    """Fill in a demo library's profile once; what an editor changed later stays.

    The live row and the latest revision both get it, so the editor (which starts
    from the latest revision) shows it without a new revision in the history.
    """
    values = DEMO_PROFILES.get(library.title)
    if values is None or library.inhabitants is not None or library.urbanity:
        return
    library.inhabitants, library.urbanity = values
    library.save(update_fields=["inhabitants", "urbanity"], clean=False)
    revision = library.latest_revision
    if revision is not None:
        revision.content.update(inhabitants=values[0], urbanity=values[1])
        revision.save(update_fields=["content"])

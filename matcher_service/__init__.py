"""Biblio Monitor's semantic project search service. Imports nothing from Django."""

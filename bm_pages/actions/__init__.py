"""Business actions on Biblio Monitor pages, shared by the admin, the API and code."""

from .copy import (
    CopyAnnualPlanToNextYearAction,
    CopyAnnualPlanToNextYearPermissionError,
    CopyProjectToNextYearAction,
    CopyProjectToNextYearPermissionError,
    CopyToNextYearError,
)

__all__ = [
    "CopyAnnualPlanToNextYearAction",
    "CopyAnnualPlanToNextYearPermissionError",
    "CopyProjectToNextYearAction",
    "CopyProjectToNextYearPermissionError",
    "CopyToNextYearError",
]

"""The admin search form, shared by the editor panel's JSON view and "Find projects"."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bm_pages.models import AnnualPlanPage, RegionalNetwork
from bm_pages.models.annual_plan import MAX_YEAR, MIN_YEAR

from .conf import get_setting

MAX_QUERY = 2000
DEFAULT_K = 10


def plan_years() -> list[int]:
    return sorted(
        set(AnnualPlanPage.objects.live().values_list("year", flat=True)), reverse=True
    )


class SimilarProjectsForm(forms.Form):
    """What to look for, and optional filters. Every field is optional: an empty
    ``q`` means "nothing to search yet"."""

    q = forms.CharField(
        label=_("Project title or description"),
        required=False,
        max_length=MAX_QUERY,
        strip=True,
        help_text=_(
            "Type the title of the project you are planning, or a few words about it."
        ),
    )
    network = forms.ModelChoiceField(
        label=_("Regional network"),
        queryset=RegionalNetwork.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All networks"),
    )
    year = forms.IntegerField(
        label=_("Year"), required=False, min_value=MIN_YEAR, max_value=MAX_YEAR
    )
    k = forms.IntegerField(
        label=_("Number of results"),
        required=False,
        min_value=1,
        widget=forms.HiddenInput,
    )
    # "Bibliotheken zoals de mijne" (bm_matching/peers.py); a select, not a
    # checkbox, so the search script sends it only when chosen.
    like_mine = forms.TypedChoiceField(
        label=_("Libraries"),
        choices=[("", _("All libraries")), ("1", _("Libraries like mine"))],
        coerce=bool,
        empty_value=False,
        required=False,
    )
    # The library whose project is being edited (or whose plan a project is added
    # to): left out of the results, also when a superuser edits it.
    exclude_library = forms.IntegerField(
        required=False, min_value=1, widget=forms.HiddenInput
    )

    def clean_k(self) -> int:
        k = self.cleaned_data.get("k") or DEFAULT_K
        limit = int(get_setting("MAX_RESULTS"))
        if k > limit:
            raise forms.ValidationError(
                _("Ask for at most %(limit)s results.") % {"limit": limit}
            )
        return k


class FindProjectsForm(SimilarProjectsForm):
    """The "Find projects" page's form: years to choose from."""

    year = forms.TypedChoiceField(
        label=_("Year"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years"))] + [
            (year, str(year)) for year in plan_years()
        ]

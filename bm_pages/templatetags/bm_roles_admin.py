"""Template helpers for the roles admin: keeping other libraries' pages out of sight."""

from django import template
from wagtail.models import Page
from wagtail.permissions import policy_registry

register = template.Library()


@register.simple_tag(takes_context=True)
def hide_unexplorable_last_edited(context, page_types):
    """Blank the "last edited page" of page type rows the user may not explore.

    Wagtail's page types usage report names the most recently edited page of each
    type across the whole site, drafts of other libraries included.
    """
    user = context["request"].user
    if user.is_superuser:
        return page_types
    explorable = set(
        policy_registry.get_by_type(Page)
        .explorable_instances(user)
        .values_list("pk", flat=True)
    )
    for page_type in page_types:
        page = getattr(page_type, "last_edited_page", None)
        if page is not None and page.pk not in explorable:
            page_type.last_edited_page = None
    return page_types

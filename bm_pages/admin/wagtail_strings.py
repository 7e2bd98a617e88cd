"""Wagtail's own strings whose Dutch bm_pages ships, because Wagtail's is broken
("1-19van 19 pagina's"), uses "je" where we address people with "u", or names the
action in a way librarians do not use ("Wijzigingsverzoek" for asking changes, "ter
moderatie ingediend" for "ter goedkeuring ingediend").

bm_pages comes before Wagtail in ``INSTALLED_APPS``, so its catalogue wins. Listed
here with ``gettext_noop`` only so that ``makemessages`` keeps them in the .po.
"""

from django.utils.translation import gettext_noop

WAGTAIL_STRINGS = (
    gettext_noop("%(start_index)s-%(end_index)s of %(items_count)s %(model_name)s"),
    gettext_noop(
        "%(start_index)s-%(end_index)s of %(items_count)s %(model_name)s in "
        "'<span class=\"w-title-ellipsis\">%(title)s</span>'."
    ),
    gettext_noop(
        "%(start_index)s-%(end_index)s of %(items_count)s %(model_name)s across "
        "entire site."
    ),
    gettext_noop("Submit for moderation"),
    gettext_noop("Page '%(page_title)s' has been submitted for moderation."),
    gettext_noop("Request changes"),
    gettext_noop(
        "Your %(username_field)s and password didn't match. Please try again."
    ),
    gettext_noop("You do not have permission to access the admin."),
    gettext_noop("The page title as you'd like it to be seen by the public"),
    # The dashboard's panels.
    gettext_noop("Awaiting your review"),
    gettext_noop("Your locked pages"),
    gettext_noop("Your pages and snippets in a workflow"),
)

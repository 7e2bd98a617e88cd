"""The shared vocabulary (KiB work fields, policy topics, document types, regional
networks) as snippets under one "Framework" menu."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from bm_pages.models import DocumentType, PolicyTopic, RegionalNetwork, WorkField


class WorkFieldSnippetViewSet(SnippetViewSet):
    model = WorkField
    icon = "list-ol"
    list_display = ["code", "name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "description"]


class PolicyTopicSnippetViewSet(SnippetViewSet):
    model = PolicyTopic
    icon = "tag"
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "description"]


class DocumentTypeSnippetViewSet(SnippetViewSet):
    model = DocumentType
    icon = "doc-full"
    list_display = ["name", "slug"]


class RegionalNetworkSnippetViewSet(SnippetViewSet):
    model = RegionalNetwork
    icon = "group"
    list_display = ["name", "region", "link_members_by_default"]
    search_fields = ["name", "region"]


class FrameworkSnippetViewSetGroup(SnippetViewSetGroup):
    """The shared vocabulary (KiB work fields, policy topics, ...) under one menu."""

    items = (
        WorkFieldSnippetViewSet,
        PolicyTopicSnippetViewSet,
        DocumentTypeSnippetViewSet,
        RegionalNetworkSnippetViewSet,
    )
    menu_icon = "folder-open-inverse"
    menu_label = _("Framework")
    menu_name = "framework"
    menu_order = 250

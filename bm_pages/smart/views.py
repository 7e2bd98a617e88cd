"""Admin views of the SMART check: the editor panel's live check."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from bm_pages.smart.live import SmartCheckPermissionError, check_posted_form


def _id(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else None


@require_POST
def check_project_form(request: HttpRequest) -> JsonResponse:
    """The SMART check of the posted project editor form (``?page=`` or ``?plan=``).

    Answers ``{"score", "missing": [{"code", "label", "letter", "where", "field"}],
    "html"}``; 403 when the user may not edit the project or add one to the plan.
    Nothing is saved.
    """
    try:
        result = check_posted_form(
            request.user,
            request.POST,
            page_id=_id(request, "page"),
            plan_id=_id(request, "plan"),
        )
    except SmartCheckPermissionError as error:
        return JsonResponse({"detail": str(error)}, status=403)
    data = result.as_dict(with_fields=True)
    data["html"] = render_to_string(
        "bm_pages/smart/panel_body.html", {"smart": result}, request=request
    )
    return JsonResponse(data)

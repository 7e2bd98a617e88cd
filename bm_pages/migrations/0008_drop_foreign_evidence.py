"""Drop PDCA evidence that points at another library's document.

Before evidence was limited to the project's own library, any document id was
accepted. Such evidence is never shown or copied any more (the sharing rule), but a
draft carrying it could no longer be published (model validation). This clears it,
in the log rows and in the saved revisions, leaving everything else as it was.
"""

from django.db import migrations


def drop_foreign_evidence(apps, schema_editor):
    ProjectPage = apps.get_model("bm_pages", "ProjectPage")
    PhaseLogEntry = apps.get_model("bm_pages", "PhaseLogEntry")
    LibraryDocument = apps.get_model("bm_pages", "LibraryDocument")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")

    library_of_project = dict(ProjectPage.objects.values_list("pk", "plan__library"))
    library_of_document = dict(LibraryDocument.objects.values_list("pk", "library_id"))

    def foreign(project_id, document_id) -> bool:
        owner = library_of_project.get(project_id)
        return owner is None or library_of_document.get(document_id) != owner

    for entry in PhaseLogEntry.objects.exclude(evidence=None).only(
        "pk", "page", "evidence"
    ):
        if foreign(entry.page_id, entry.evidence_id):
            PhaseLogEntry.objects.filter(pk=entry.pk).update(evidence=None)

    content_type = ContentType.objects.filter(
        app_label="bm_pages", model="projectpage"
    ).first()
    if content_type is None:
        return
    for revision in Revision.objects.filter(content_type=content_type).iterator():
        changed = False
        project_id = int(revision.object_id)
        for row in revision.content.get("phase_log") or []:
            document_id = row.get("evidence")
            if document_id and foreign(project_id, document_id):
                row["evidence"] = None
                changed = True
        if changed:
            Revision.objects.filter(pk=revision.pk).update(content=revision.content)


class Migration(migrations.Migration):
    dependencies = [
        ("bm_pages", "0007_network_setup_guard"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(drop_foreign_evidence, migrations.RunPython.noop),
    ]

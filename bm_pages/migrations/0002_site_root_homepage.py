"""Replace Wagtail's welcome page with a HomePage and make it the root of the site(s).

Only the untouched welcome page is replaced: a site that already has its own pages
keeps them (a host adding the plugin then creates a HomePage itself). Reversing puts
a plain welcome page back.
"""

from django.db import migrations

HOME_PATH = "00010001"
INTRODUCTION = (
    "<p>Biblio Monitor is de omgeving waarin openbare bibliotheken hun jaarplan "
    "opstellen: SMART geformuleerde projecten die zij volgens de cirkel van Deming "
    "(Plan-Do-Check-Act) uitvoeren en borgen. Hier leest u de gepubliceerde "
    "jaarplannen van de aangesloten bibliotheken.</p>"
)


def _default_locale_id(apps):
    Locale = apps.get_model("wagtailcore", "Locale")
    locale = Locale.objects.order_by("pk").first()
    return locale.pk if locale else None


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    HomePage = apps.get_model("bm_pages", "HomePage")

    if HomePage.objects.exists():
        return
    home_type, _ = ContentType.objects.get_or_create(app_label="bm_pages", model="homepage")
    welcome = Page.objects.filter(
        path=HOME_PATH, depth=2, numchild=0, content_type=ContentType.objects.get_for_model(Page)
    ).first()
    if welcome is not None:
        # Turn the welcome page into the home page in place: same id, so every site
        # pointing at it stays as it is.
        HomePage(page_ptr_id=welcome.pk, introduction=INTRODUCTION).save_base(
            raw=True, force_insert=True
        )
        Page.objects.filter(pk=welcome.pk).update(
            content_type=home_type, title="Biblio Monitor", draft_title="Biblio Monitor"
        )
        return
    if Page.objects.filter(depth=2).exists():
        return  # the host site has its own pages; leave them alone
    home = HomePage.objects.create(
        title="Biblio Monitor",
        draft_title="Biblio Monitor",
        slug="home",
        content_type=home_type,
        path=HOME_PATH,
        depth=2,
        numchild=0,
        url_path="/home/",
        locale_id=_default_locale_id(apps),
        live=True,
        introduction=INTRODUCTION,
    )
    Page.objects.filter(depth=1).update(numchild=1)
    if not Site.objects.exists():
        Site.objects.create(
            hostname="localhost", port=80, root_page_id=home.pk, is_default_site=True
        )


def remove_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    HomePage = apps.get_model("bm_pages", "HomePage")

    home = HomePage.objects.filter(path=HOME_PATH).first()
    if home is None:
        return
    if Page.objects.filter(path__startswith=HOME_PATH, depth__gt=2).exists():
        raise RuntimeError(
            "The home page still has libraries below it. Delete them in the Wagtail "
            "admin before reversing the bm_pages migrations."
        )
    # The home page becomes Wagtail's plain welcome page again, keeping its id so the
    # sites pointing at it stay valid.
    HomePage.objects.filter(pk=home.pk)._raw_delete(schema_editor.connection.alias)
    Page.objects.filter(pk=home.pk).update(
        content_type=ContentType.objects.get_for_model(Page),
        title="Welcome to your new Wagtail site!",
        draft_title="Welcome to your new Wagtail site!",
        numchild=0,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("bm_pages", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_homepage, remove_homepage)]

"""Seed the framework vocabulary: KiB work fields, policy topics, document types.

Rows are matched on their stable slug, so running forward never duplicates a row an
editor already has; reversing removes exactly the seeded slugs.
"""

from django.db import migrations

WORK_FIELDS = [
    # (code, slug, name, kind, description)
    ("1", "missie-visie-strategie-beleid", "Missie & visie en strategie & beleid", "norm",
     "De bibliotheek heeft een missie en visie, vertaald in strategie en beleid dat "
     "aansluit bij de lokale en regionale opgaven en de kernfuncties van de Wsob."),
    ("2", "middelen", "Middelen", "norm",
     "Financiën, huisvesting, collectie en ICT: de middelen zijn op orde en worden "
     "doelmatig ingezet."),
    ("3", "mensen", "Mensen", "norm",
     "Personeel en vrijwilligers: bemensing, competenties, opleiding en ontwikkeling."),
    ("4", "samenwerking", "Samenwerking", "norm",
     "Samenwerking met partners in het lokale en regionale netwerk en binnen het "
     "bibliotheekstelsel."),
    ("5", "producten-en-diensten", "Producten en diensten", "norm",
     "Het aanbod van producten en diensten voor de verschillende doelgroepen, "
     "afgestemd op de vraag."),
    ("6", "resultaten-en-verantwoording", "Resultaten en verantwoording", "norm",
     "De bibliotheek meet haar resultaten en legt verantwoording af aan gemeente, "
     "partners en publiek."),
    ("7", "wet-en-regelgeving", "Wet- en regelgeving", "norm",
     "De bibliotheek voldoet aan de geldende wet- en regelgeving, zoals de Wsob, de "
     "AVG en arbo-wetgeving."),
    ("ED", "educatieve-dienstverlening", "Educatieve dienstverlening", "module",
     "Module voor de educatieve dienstverlening, zoals BoekStart en de Bibliotheek "
     "op school."),
    ("AL", "aangepast-lezen", "Aangepast Lezen", "module",
     "Module voor de dienstverlening aan mensen met een leesbeperking."),
]

POLICY_TOPICS = [
    # (slug, name, kind, description)
    ("kennis-en-informatie", "Kennis en informatie", "core_function",
     "Wsob kernfunctie a: het ter beschikking stellen van kennis en informatie."),
    ("ontwikkeling-en-educatie", "Ontwikkeling en educatie", "core_function",
     "Wsob kernfunctie b: het bieden van mogelijkheden tot ontwikkeling en educatie."),
    ("lezen-en-literatuur", "Lezen en literatuur", "core_function",
     "Wsob kernfunctie c: het bevorderen van lezen en het laten kennismaken met "
     "literatuur."),
    ("ontmoeting-en-debat", "Ontmoeting en debat", "core_function",
     "Wsob kernfunctie d: het organiseren van ontmoeting en debat."),
    ("kunst-en-cultuur", "Kunst en cultuur", "core_function",
     "Wsob kernfunctie e: het laten kennismaken met kunst en cultuur."),
    ("geletterde-samenleving", "Geletterde samenleving", "societal_task",
     "Maatschappelijke opgave: iedereen kan lezen en schrijven; leesbevordering en "
     "de aanpak van laaggeletterdheid."),
    ("participatie-informatiesamenleving", "Participatie in de informatiesamenleving",
     "societal_task",
     "Maatschappelijke opgave: iedereen kan meedoen in de digitale samenleving."),
    ("leven-lang-ontwikkelen", "Leven lang ontwikkelen", "societal_task",
     "Maatschappelijke opgave: iedereen kan zich een leven lang blijven ontwikkelen."),
    ("boekstart", "BoekStart", "programme",
     "Voorlezen en boekjes delen met baby's en peuters, thuis en in de kinderopvang."),
    ("bibliotheek-op-school", "de Bibliotheek op school", "programme",
     "Leesbevordering en mediawijsheid in het primair onderwijs, samen met scholen."),
    ("bibliotheek-op-school-vo", "de Bibliotheek op school VO", "programme",
     "Leesbevordering en informatievaardigheden in het voortgezet onderwijs."),
    ("taalhuis", "Taalhuis", "programme",
     "Laagdrempelige plek voor volwassenen die beter willen leren lezen, schrijven, "
     "rekenen of digitaal willen leren werken."),
    ("ido", "Informatiepunt Digitale Overheid (IDO)", "programme",
     "Hulp bij het regelen van zaken met de digitale overheid."),
    ("digisterker", "Digisterker", "programme",
     "Cursussen om digitaal zaken te doen met de overheid, zoals met DigiD."),
    ("mediawijsheid", "Mediawijsheid", "programme",
     "Bewust, kritisch en actief omgaan met media en informatie."),
    ("voorleesexpress", "VoorleesExpress", "programme",
     "Vrijwilligers lezen thuis voor in gezinnen waar weinig wordt voorgelezen."),
    ("leesbevordering", "Leesbevordering", "programme",
     "Activiteiten die het lezen voor plezier stimuleren, voor alle leeftijden."),
]

DOCUMENT_TYPES = [
    ("zelfevaluatie", "Zelfevaluatie",
     "De zelfevaluatie die de bibliotheek voor de certificering opstelt."),
    ("meerjarenbeleidsplan", "Meerjarenbeleidsplan",
     "Het beleidsplan voor meerdere jaren, met missie, visie en strategie."),
    ("jaarplan", "Jaarplan", "Het plan voor één jaar, met de SMART projecten."),
    ("jaarverslag", "Jaarverslag", "De verantwoording over een afgelopen jaar."),
    ("auditrapport", "Auditrapport", "Het rapport van de auditor na de audit."),
    ("verbeterplan", "Verbeterplan",
     "Afspraken over verbeteringen naar aanleiding van een audit of evaluatie."),
]


def seed(apps, schema_editor):
    WorkField = apps.get_model("bm_pages", "WorkField")
    PolicyTopic = apps.get_model("bm_pages", "PolicyTopic")
    DocumentType = apps.get_model("bm_pages", "DocumentType")
    for order, (code, slug, name, kind, description) in enumerate(WORK_FIELDS, 1):
        WorkField.objects.get_or_create(
            slug=slug,
            defaults={"code": code, "name": name, "kind": kind,
                      "description": description, "sort_order": order},
        )
    for order, (slug, name, kind, description) in enumerate(POLICY_TOPICS, 1):
        PolicyTopic.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "kind": kind, "description": description,
                      "sort_order": order},
        )
    for order, (slug, name, description) in enumerate(DOCUMENT_TYPES, 1):
        DocumentType.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "description": description, "sort_order": order},
        )


def unseed(apps, schema_editor):
    apps.get_model("bm_pages", "WorkField").objects.filter(
        slug__in=[row[1] for row in WORK_FIELDS]
    ).delete()
    apps.get_model("bm_pages", "PolicyTopic").objects.filter(
        slug__in=[row[0] for row in POLICY_TOPICS]
    ).delete()
    apps.get_model("bm_pages", "DocumentType").objects.filter(
        slug__in=[row[0] for row in DOCUMENT_TYPES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("bm_pages", "0002_site_root_homepage")]

    operations = [migrations.RunPython(seed, unseed)]

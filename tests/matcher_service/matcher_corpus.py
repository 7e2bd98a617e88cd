"""A small Dutch fixture corpus: 24 projects of 8 libraries in 3 regional networks.

Projects come in topic groups of two to four (same idea, different libraries and
wording), so a query for a topic has a known set of right answers.
"""

from __future__ import annotations

from typing import Any

LIBRARIES = {
    "lib-ams": ("Bibliotheek Amstelland", "Noord-Holland"),
    "lib-haa": ("Bibliotheek Zuid-Kennemerland", "Noord-Holland"),
    "lib-utr": ("Bibliotheek Utrecht", "Utrecht"),
    "lib-ame": ("Bibliotheek Eemland", "Utrecht"),
    "lib-gro": ("Biblionet Groningen", "Noord"),
    "lib-fri": ("Bibliotheken Noord Fryslân", "Noord"),
    "lib-dre": ("Bibliotheek Drenthe", "Noord"),
    "lib-zwo": ("Stadkamer Zwolle", None),
}


def _p(
    pid: str, lib: str, year: int, phase: str, title: str, summary: str, topic: str
) -> dict[str, Any]:
    name, region = LIBRARIES[lib]
    return {
        "id": pid,
        "library_id": lib,
        "library_name": name,
        "title": title,
        "summary": summary,
        "year": year,
        "region": region,
        "phase": phase,
        "url": f"https://example.org/{lib}/{pid}",
        "_topic": topic,
    }


PROJECTS: list[dict[str, Any]] = [
    # Reading to babies and toddlers (BoekStart)
    _p(
        "p01",
        "lib-ams",
        2024,
        "do",
        "BoekStart op het consultatiebureau",
        "Ouders van baby's krijgen een koffertje met boekjes en tips om samen te lezen vanaf de eerste maanden.",
        "baby",
    ),
    _p(
        "p02",
        "lib-gro",
        2023,
        "done",
        "Voorleesmomentjes voor dreumesen en peuters",
        "Elke woensdagochtend lezen vrijwilligers prentenboeken voor aan kinderen van één tot vier jaar en hun ouders.",
        "baby",
    ),
    _p(
        "p03",
        "lib-utr",
        2025,
        "plan",
        "Babyleesuurtje in de wijkvestiging",
        "Rijmpjes, liedjes en kartonnen boekjes voor de allerkleinsten; ouders leren hoe ze taal spelenderwijs stimuleren.",
        "baby",
    ),
    # Digital skills for older people, government services
    _p(
        "p04",
        "lib-haa",
        2024,
        "do",
        "Digitaal spreekuur voor senioren",
        "Ouderen krijgen persoonlijke hulp bij DigiD, de belastingaangifte en andere online overheidszaken.",
        "digital",
    ),
    _p(
        "p05",
        "lib-fri",
        2023,
        "check",
        "Informatiepunt Digitale Overheid",
        "Inwoners die moeite hebben met websites van de gemeente, toeslagen of zorgverzekering kunnen zonder afspraak binnenlopen.",
        "digital",
    ),
    _p(
        "p06",
        "lib-ame",
        2025,
        "plan",
        "Cursus Klik & Tik voor 65-plussers",
        "Een basiscursus computer en tablet: e-mailen, internetten en veilig inloggen bij instanties.",
        "digital",
    ),
    # Language café for newcomers
    _p(
        "p07",
        "lib-utr",
        2024,
        "do",
        "Taalcafé voor nieuwkomers",
        "Statushouders en anderstaligen oefenen wekelijks Nederlands in gesprek met vrijwilligers, bij een kop koffie.",
        "language",
    ),
    _p(
        "p08",
        "lib-zwo",
        2023,
        "done",
        "Samenspraak: oefenen met de Nederlandse taal",
        "Inburgeraars worden gekoppeld aan een taalmaatje uit de buurt om de spreekvaardigheid te verbeteren.",
        "language",
    ),
    _p(
        "p09",
        "lib-gro",
        2025,
        "plan",
        "Praatgroep Nederlands voor anderstaligen",
        "Kleine groepen mensen met een migratieachtergrond oefenen alledaagse gesprekken onder begeleiding.",
        "language",
    ),
    # Fake news / media literacy in schools
    _p(
        "p10",
        "lib-ams",
        2023,
        "done",
        "Nepnieuws herkennen in groep 8",
        "Leerlingen van de bovenbouw leren bronnen checken en misleidende berichten op sociale media ontmaskeren.",
        "media",
    ),
    _p(
        "p11",
        "lib-dre",
        2024,
        "act",
        "MediaMasters op de basisschool",
        "Een serious game over mediawijsheid waarmee klassen spelenderwijs leren omgaan met online informatie.",
        "media",
    ),
    # Coding and making for teenagers
    _p(
        "p12",
        "lib-haa",
        2025,
        "plan",
        "Makerspace voor tieners",
        "Jongeren leren programmeren, 3D-printen en robots bouwen in het FabLab van de bibliotheek.",
        "maker",
    ),
    _p(
        "p13",
        "lib-fri",
        2024,
        "do",
        "CodeerClub na schooltijd",
        "Kinderen van tien tot veertien maken hun eigen games met Scratch en micro:bits.",
        "maker",
    ),
    # Reading clubs for people with dementia
    _p(
        "p14",
        "lib-ame",
        2023,
        "done",
        "Voorlezen in het verpleeghuis",
        "Vrijwilligers lezen korte verhalen en gedichten voor aan bewoners met geheugenproblemen.",
        "dementia",
    ),
    _p(
        "p15",
        "lib-dre",
        2025,
        "plan",
        "Samen lezen met mensen met dementie",
        "Een leesgroep waarin herinneringen ophalen centraal staat, samen met het zorgcentrum.",
        "dementia",
    ),
    # Homework help
    _p(
        "p16",
        "lib-zwo",
        2024,
        "do",
        "Huiswerkbegeleiding in de bibliotheek",
        "Scholieren van het voortgezet onderwijs krijgen twee middagen per week ondersteuning bij hun schoolwerk.",
        "homework",
    ),
    _p(
        "p17",
        "lib-utr",
        2023,
        "check",
        "Studieplekken en bijles voor middelbare scholieren",
        "Studenten helpen brugklassers met plannen, leren en wiskunde in een rustige studiezaal.",
        "homework",
    ),
    # Money matters / debt
    _p(
        "p18",
        "lib-gro",
        2024,
        "do",
        "Geldzaken op orde",
        "Workshops over budgetteren, rekeningen betalen en schulden voorkomen, samen met de schuldhulpverlening.",
        "money",
    ),
    _p(
        "p19",
        "lib-ams",
        2025,
        "plan",
        "Spreekuur financiën en toeslagen",
        "Inwoners met geldzorgen krijgen advies van vrijwilligers over hun administratie en vaste lasten.",
        "money",
    ),
    # Sustainability / repair
    _p(
        "p20",
        "lib-fri",
        2025,
        "plan",
        "Repair Café in de bibliotheek",
        "Buurtbewoners repareren samen kapotte apparaten en kleding in plaats van ze weg te gooien.",
        "repair",
    ),
    _p(
        "p21",
        "lib-haa",
        2023,
        "done",
        "Duurzaamheidsavonden over klimaat en energie besparen",
        "Lezingen en gesprekken over zonnepanelen, isoleren en een kleinere ecologische voetafdruk.",
        "repair",
    ),
    # Job seekers
    _p(
        "p22",
        "lib-dre",
        2023,
        "done",
        "Sollicitatiecafé voor werkzoekenden",
        "Hulp bij het schrijven van een cv en een motivatiebrief en het oefenen van sollicitatiegesprekken.",
        "jobs",
    ),
    _p(
        "p23",
        "lib-zwo",
        2025,
        "plan",
        "Werkplein: digitaal solliciteren",
        "Samen met het UWV helpen we mensen zonder baan met vacatures zoeken en online solliciteren.",
        "jobs",
    ),
    # A poetry festival (stands alone)
    _p(
        "p24",
        "lib-ame",
        2024,
        "act",
        "Poëziefestival in de zomer",
        "Dichters treden op in het park en inwoners schrijven hun eigen gedichten in workshops.",
        "poetry",
    ),
]


def payload(project: dict[str, Any]) -> dict[str, Any]:
    """The record as the bulk endpoint takes it (without the test-only topic)."""
    out = {k: v for k, v in project.items() if not k.startswith("_") and v is not None}
    return out


def topic_ids(topic: str) -> set[str]:
    return {p["id"] for p in PROJECTS if p["_topic"] == topic}


def library_of(pid: str) -> str:
    return next(p["library_id"] for p in PROJECTS if p["id"] == pid)

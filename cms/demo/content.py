"""Building blocks of the demo data, in Dutch as the libraries would write them."""

NETWORKS = [
    {
        "slug": "noordkust",
        "name": "Bibliotheeknetwerk Noordkust",
        "region": "Fryslân en Groningen",
        "description": "Vier bibliotheekorganisaties langs de Waddenkust die collectie, "
        "scholing en projecten delen.",
    },
    {
        "slug": "rivierenland",
        "name": "Netwerk Bibliotheken Rivierenland",
        "region": "Gelderland",
        "description": "Samenwerkingsverband van bibliotheken tussen Maas en Waal, met "
        "een gezamenlijke backoffice en een gedeeld educatief aanbod.",
    },
    {
        "slug": "zuidwest",
        "name": "Bibliotheken Zuidwest Samen",
        "region": "Zeeland en Zuid-Holland",
        "description": "Netwerk van bibliotheken op de eilanden en in de kernen van "
        "Zuidwest-Nederland, met een gezamenlijke Taalhuisaanpak.",
    },
]

# Fictional organisations; municipalities and towns are real places.
LIBRARIES = [
    (
        "noordkust",
        "Bibliotheek Waddenkust",
        ["Harlingen", "Waadhoeke"],
        ["Harlingen", "Franeker", "Sint Annaparochie"],
    ),
    (
        "noordkust",
        "Bibliotheek Lauwersland",
        ["Noardeast-Fryslân", "Dantumadiel"],
        ["Dokkum", "Kollum", "Damwâld"],
    ),
    (
        "noordkust",
        "Bibliotheek Hogeland Plus",
        ["Het Hogeland"],
        ["Winsum", "Uithuizen", "Warffum"],
    ),
    (
        "noordkust",
        "Bibliotheek Friese Wouden Oost",
        ["Achtkarspelen", "Tytsjerksteradiel"],
        ["Buitenpost", "Burgum", "Surhuisterveen"],
    ),
    (
        "rivierenland",
        "Bibliotheek Maas en Waal",
        ["West Maas en Waal", "Druten"],
        ["Beneden-Leeuwen", "Druten", "Wamel"],
    ),
    (
        "rivierenland",
        "Bibliotheek Betuwe Midden",
        ["Tiel", "Buren"],
        ["Tiel", "Maurik", "Lienden"],
    ),
    (
        "rivierenland",
        "Bibliotheek Lingestreek",
        ["West Betuwe", "Lingewaard"],
        ["Geldermalsen", "Leerdam", "Huissen"],
    ),
    (
        "rivierenland",
        "Bibliotheek Bommelerwaard",
        ["Zaltbommel", "Maasdriel"],
        ["Zaltbommel", "Kerkdriel"],
    ),
    (
        "zuidwest",
        "Bibliotheek De Eilanden",
        ["Goeree-Overflakkee"],
        ["Middelharnis", "Oude-Tonge", "Ouddorp"],
    ),
    (
        "zuidwest",
        "Bibliotheek Schouwen en Tholen",
        ["Schouwen-Duiveland", "Tholen"],
        ["Zierikzee", "Brouwershaven", "Tholen"],
    ),
    (
        "zuidwest",
        "Bibliotheek Hoeksche Delta",
        ["Hoeksche Waard"],
        ["Oud-Beijerland", "'s-Gravendeel", "Strijen"],
    ),
    (
        "zuidwest",
        "Bibliotheek Zeeuwse Zuidkust",
        ["Sluis", "Terneuzen"],
        ["Oostburg", "Terneuzen", "Sas van Gent"],
    ),
]

FOCUS_AREAS = {
    "lezen": (
        "Geletterdheid en leesplezier",
        "Meer kinderen en volwassenen lezen met plezier en kunnen goed lezen en "
        "schrijven.",
    ),
    "digitaal": (
        "Digitale inclusie",
        "Iedereen kan meedoen in de digitale samenleving en vindt bij ons hulp.",
    ),
    "ontmoeting": (
        "Ontmoeting, debat en cultuur",
        "De bibliotheek is de huiskamer van de gemeente: een plek voor "
        "gesprek, verhalen en kunst.",
    ),
    "ontwikkeling": (
        "Leven lang ontwikkelen",
        "Inwoners blijven leren, van taalles tot loopbaan en gezondheid.",
    ),
    "kwaliteit": (
        "Kwaliteit en borging",
        "We werken planmatig, meten wat we doen en borgen wat goed gaat.",
    ),
}

PLAN_INTRODUCTIONS = [
    "<p>In {year} bouwen we verder aan een bibliotheek die midden in de samenleving "
    "staat. Met onze partners in {places} richten we ons op de opgaven die er voor "
    "onze inwoners toe doen: leesplezier, digitale vaardigheden en ontmoeting.</p>",
    "<p>Dit jaarplan beschrijft wat {library} in {year} wil bereiken. Elk project is "
    "SMART geformuleerd en doorloopt de cirkel van Plan-Do-Check-Act, zodat de "
    "gemeenteraad kan volgen wat we doen en wat het oplevert.</p>",
    "<p>Onze ambitie voor {year}: minder laaggeletterdheid, meer mensen die digitaal "
    "mee kunnen doen en een bibliotheek waar inwoners van {places} elkaar ontmoeten. "
    "We kiezen bewust voor minder projecten met meer effect.</p>",
]

# Each theme: a project idea with several wordings. {place}, {library}, {partner},
# {school} and {n} are filled in per library so no two plans read alike.
THEMES = [
    {
        "key": "boekstart",
        "area": "lezen",
        "titles": [
            "BoekStart voor baby's in {place}",
            "BoekStart op het consultatiebureau",
            "Voorlezen vanaf nul: BoekStart {place}",
        ],
        "summaries": [
            "Ouders van baby's krijgen via het consultatiebureau een BoekStartkoffertje "
            "en een uitnodiging voor de voorleesochtenden in de bibliotheek van {place}.",
            "Samen met de jeugdgezondheidszorg bereiken we jonge ouders in {place}: een "
            "gratis lidmaatschap voor hun baby, een koffertje met boekjes en tips om "
            "voorlezen een vast moment van de dag te maken.",
            "We brengen BoekStart naar de wachtkamer van het consultatiebureau: een "
            "leesconsulent is er maandelijks aanwezig en helpt ouders op weg.",
        ],
        "goals": [
            "Meer ouders lezen dagelijks voor aan hun kind van 0 tot 4 jaar.",
            "Elk pasgeboren kind in {place} wordt lid van de bibliotheek.",
        ],
        "target_group": "Ouders van baby's en peuters (0-4 jaar)",
        "partners": [
            "Jeugdgezondheidszorg {place}",
            "Consultatiebureau {place}",
            "Kinderopvang De Rups",
        ],
        "indicators": [
            ("uitgereikte BoekStartkoffertjes", "koffertjes", 60, 220),
            ("nieuwe baby-leden", "leden", 50, 180),
            ("bezoekers voorleesochtenden", "ouders en kinderen", 40, 160),
        ],
        "activities": [
            "Afspraken maken met het consultatiebureau",
            "Koffertjes en uitnodigingen bestellen",
            "Voorleesochtenden in de bibliotheek plannen",
            "Leesconsulent aanwezig op het inloopspreekuur",
            "Resultaten bespreken met de JGZ",
        ],
        "core": ["lezen-en-literatuur", "ontwikkeling-en-educatie"],
        "topics": ["boekstart", "geletterde-samenleving"],
        "fields": ["5", "4", "ED"],
        "budget": (1500, 9000),
        "hours": (60, 260),
    },
    {
        "key": "boekstart-kinderopvang",
        "area": "lezen",
        "titles": [
            "BoekStart in de kinderopvang",
            "Voorleescoördinatoren in de kinderopvang",
            "Boekhoeken op kinderdagverblijven",
        ],
        "summaries": [
            "Pedagogisch medewerkers van {n} kinderopvanglocaties volgen de training "
            "voorleescoördinator en krijgen een wisselcollectie prentenboeken.",
            "Elke deelnemende kinderopvanglocatie in {place} krijgt een boekhoek met "
            "wisselcollectie en een vaste contactpersoon in de bibliotheek.",
        ],
        "goals": [
            "Peuters in de kinderopvang worden dagelijks voorgelezen.",
            "Pedagogisch medewerkers voelen zich zeker in voorlezen en taalstimulering.",
        ],
        "target_group": "Peuters en pedagogisch medewerkers in de kinderopvang",
        "partners": ["Kinderopvang Kwebbel", "Stichting Peuterwerk {place}"],
        "indicators": [
            ("deelnemende kinderopvanglocaties", "locaties", 4, 14),
            ("getrainde voorleescoördinatoren", "medewerkers", 6, 24),
        ],
        "activities": [
            "Werving van kinderopvanglocaties",
            "Training voorleescoördinator",
            "Wisselcollecties samenstellen en rondbrengen",
            "Evaluatiegesprek per locatie",
        ],
        "core": ["lezen-en-literatuur"],
        "topics": ["boekstart", "leesbevordering"],
        "fields": ["5", "4", "ED"],
        "budget": (2000, 8000),
        "hours": (80, 240),
    },
    {
        "key": "dbos",
        "area": "lezen",
        "titles": [
            "de Bibliotheek op school: {n} basisscholen",
            "Leesmotivatie op de basisschool",
            "Uitbreiding dBos naar {school}",
        ],
        "summaries": [
            "Op {n} basisscholen in {place} werken leesconsulenten met leerkrachten aan "
            "een leesplan, een actuele schoolbibliotheek en de jaarlijkse Monitor.",
            "Samen met de scholen van {school} zetten we de aanpak van de Bibliotheek op "
            "school voort, met extra aandacht voor de groepen 6 tot en met 8.",
            "De leesconsulent ondersteunt de leescoördinatoren van de scholen bij het "
            "maken van een leesplan en het vernieuwen van de schoolcollectie.",
        ],
        "goals": [
            "Leerlingen lezen vaker en met meer plezier, ook in hun vrije tijd.",
            "Elke deelnemende school heeft een leesplan en een actuele collectie.",
        ],
        "target_group": "Leerlingen en leerkrachten in het primair onderwijs",
        "partners": ["{school}", "Onderwijsstichting Primair {place}"],
        "indicators": [
            ("deelnemende scholen", "scholen", 4, 16),
            ("leerlingen die graag lezen (Monitor)", "%", 55, 75),
            ("uitleningen schoolbibliotheek", "uitleningen", 3000, 12000),
        ],
        "activities": [
            "Jaargesprek met elke school",
            "Leesplan opstellen met de leescoördinator",
            "Collectie schoolbibliotheek vernieuwen",
            "Afname van de Monitor",
            "Voorleeswedstrijd en Kinderboekenweek",
        ],
        "core": ["lezen-en-literatuur", "ontwikkeling-en-educatie"],
        "topics": ["bibliotheek-op-school", "geletterde-samenleving"],
        "fields": ["5", "4", "ED"],
        "budget": (5000, 30000),
        "hours": (200, 900),
    },
    {
        "key": "dbos-vo",
        "area": "lezen",
        "titles": [
            "de Bibliotheek op school in het voortgezet onderwijs",
            "Leesoffensief brugklas {vo_school}",
        ],
        "summaries": [
            "In de brugklassen van {vo_school} organiseren we boekenpitches, een leesclub "
            "en lessen informatievaardigheden.",
            "We helpen {vo_school} aan een aantrekkelijke mediatheek en trainen docenten "
            "in het bespreken van boeken in de les.",
        ],
        "goals": [
            "Brugklassers blijven lezen na de overstap van het primair onderwijs."
        ],
        "target_group": "Brugklasleerlingen en docenten Nederlands",
        "partners": ["{vo_school}"],
        "indicators": [
            ("lessen informatievaardigheden", "lessen", 10, 40),
            ("leerlingen in de leesclub", "leerlingen", 12, 40),
        ],
        "activities": [
            "Afspraken met de sectie Nederlands",
            "Boekenpitches in de brugklas",
            "Leesclub na schooltijd",
            "Lessen informatievaardigheden",
        ],
        "core": ["lezen-en-literatuur", "kennis-en-informatie"],
        "topics": ["bibliotheek-op-school-vo", "mediawijsheid"],
        "fields": ["5", "ED"],
        "budget": (3000, 12000),
        "hours": (120, 400),
    },
    {
        "key": "voorleesexpress",
        "area": "lezen",
        "titles": [
            "VoorleesExpress {place}",
            "Voorlezen aan huis met de VoorleesExpress",
        ],
        "summaries": [
            "Vrijwilligers lezen twintig weken lang wekelijks voor in gezinnen in "
            "{place} waar weinig wordt voorgelezen, en helpen ouders het zelf te doen.",
            "Met de VoorleesExpress bereiken we gezinnen met een taalachterstand; "
            "wijkteams en scholen melden gezinnen aan.",
        ],
        "goals": ["Gezinnen met een taalachterstand maken voorlezen tot gewoonte."],
        "target_group": "Gezinnen met kinderen van 2 tot 8 jaar met een taalachterstand",
        "partners": ["Wijkteam {place}", "Stichting Welzijn {place}"],
        "indicators": [
            ("gekoppelde gezinnen", "gezinnen", 8, 30),
            ("actieve voorlezers", "vrijwilligers", 8, 30),
        ],
        "activities": [
            "Werving vrijwilligers",
            "Training voorlezers",
            "Koppeling gezin en voorlezer",
            "Eindgesprek met ouders",
        ],
        "core": ["lezen-en-literatuur", "ontwikkeling-en-educatie"],
        "topics": ["voorleesexpress", "geletterde-samenleving"],
        "fields": ["5", "3"],
        "budget": (2500, 10000),
        "hours": (100, 350),
    },
    {
        "key": "taalhuis",
        "area": "ontwikkeling",
        "titles": [
            "Taalhuis {place}",
            "Taalhuis: oefenen met taal en rekenen",
            "Taalcafé en Taalhuis in {place}",
        ],
        "summaries": [
            "In het Taalhuis vinden volwassenen die beter willen lezen, schrijven of "
            "rekenen een passend aanbod; taalvrijwilligers begeleiden hen.",
            "Het Taalhuis in de bibliotheek van {place} verbindt vraag en aanbod: "
            "van Taalcafé tot NT2-les bij het ROC en een-op-eenbegeleiding.",
            "We versterken de doorverwijzing naar het Taalhuis via huisartsen, "
            "schuldhulp en werkgevers in {place}.",
        ],
        "goals": [
            "Meer laaggeletterde volwassenen vinden de weg naar een taaltraject.",
            "Deelnemers zetten aantoonbaar een stap in hun taalvaardigheid.",
        ],
        "target_group": "Laaggeletterde volwassenen en anderstaligen",
        "partners": [
            "ROC {place}",
            "Stichting Lezen & Schrijven",
            "Sociaal domein gemeente {place}",
        ],
        "indicators": [
            ("intakes in het Taalhuis", "intakes", 30, 120),
            ("actieve taalvrijwilligers", "vrijwilligers", 10, 40),
            ("deelnemers Taalcafé per week", "deelnemers", 8, 30),
        ],
        "activities": [
            "Spreekuur Taalhuis elke week",
            "Training taalvrijwilligers",
            "Netwerkbijeenkomst met verwijzers",
            "Taalcafé op dinsdagochtend",
            "Evaluatie met de gemeente",
        ],
        "core": ["ontwikkeling-en-educatie", "lezen-en-literatuur"],
        "topics": ["taalhuis", "geletterde-samenleving", "leven-lang-ontwikkelen"],
        "fields": ["5", "4"],
        "budget": (6000, 25000),
        "hours": (250, 900),
    },
    {
        "key": "ido",
        "area": "digitaal",
        "titles": [
            "Informatiepunt Digitale Overheid",
            "IDO-spreekuur in {place}",
            "Hulp bij de digitale overheid",
        ],
        "summaries": [
            "Inwoners krijgen in het Informatiepunt Digitale Overheid hulp bij DigiD, "
            "toeslagen, belastingaangifte en andere zaken met de overheid.",
            "We breiden het IDO uit met een spreekuur in {place} en werken samen met "
            "de Belastingdienst, het UWV en de SVB.",
        ],
        "goals": [
            "Inwoners die vastlopen bij de digitale overheid worden snel geholpen."
        ],
        "target_group": "Inwoners die moeite hebben met digitale overheidsdiensten",
        "partners": ["Belastingdienst", "SVB", "Gemeente {place}"],
        "indicators": [
            ("geholpen inwoners", "hulpvragen", 120, 600),
            ("inloopspreekuren", "spreekuren", 30, 100),
        ],
        "activities": [
            "Medewerkers IDO bijscholen",
            "Wekelijks inloopspreekuur",
            "Flyers bij huisartsen en apotheek",
            "Kwartaalrapportage aan de gemeente",
        ],
        "core": ["kennis-en-informatie"],
        "topics": ["ido", "participatie-informatiesamenleving"],
        "fields": ["5", "4"],
        "budget": (2000, 10000),
        "hours": (150, 600),
    },
    {
        "key": "digisterker",
        "area": "digitaal",
        "titles": ["Digisterker-cursussen", "Digisterker en Klik & Tik in {place}"],
        "summaries": [
            "In kleine groepen leren inwoners in vier lessen hoe ze online zaken doen "
            "met de overheid, van DigiD tot MijnOverheid.",
            "Naast Digisterker bieden we Klik & Tik aan voor wie nog helemaal aan het "
            "begin staat met computer of tablet.",
        ],
        "goals": [
            "Cursisten kunnen zelfstandig inloggen met DigiD en hun zaken regelen."
        ],
        "target_group": "Volwassenen met weinig digitale vaardigheden",
        "partners": ["Stichting Digisterker", "SeniorWeb {place}"],
        "indicators": [
            ("cursussen", "cursussen", 4, 16),
            ("cursisten", "cursisten", 24, 120),
            ("cursisten die de cursus afronden", "%", 70, 90),
        ],
        "activities": [
            "Docenten inplannen",
            "Werving via wijkteams en huisartsen",
            "Cursusreeksen in het voor- en najaar",
            "Evaluatieformulier afnemen",
        ],
        "core": ["ontwikkeling-en-educatie", "kennis-en-informatie"],
        "topics": ["digisterker", "participatie-informatiesamenleving"],
        "fields": ["5"],
        "budget": (1500, 7000),
        "hours": (80, 300),
    },
    {
        "key": "digicafe",
        "area": "digitaal",
        "titles": [
            "Digicafé voor senioren",
            "Wekelijks Digicafé {place}",
            "Tabletspreekuur met vrijwilligers",
        ],
        "summaries": [
            "Elke week helpen vrijwilligers in het Digicafé bezoekers met hun telefoon, "
            "tablet of laptop, zonder afspraak.",
            "Senioren in {place} leren in het Digicafé videobellen, veilig internetbankieren "
            "en omgaan met apps voor zorg en vervoer.",
        ],
        "goals": ["Senioren voelen zich zekerder en veiliger online."],
        "target_group": "Senioren en andere inwoners met digitale vragen",
        "partners": ["SeniorWeb {place}", "Ouderenbond {place}"],
        "indicators": [
            ("bezoekers Digicafé", "bezoeken", 150, 700),
            ("actieve digivrijwilligers", "vrijwilligers", 4, 15),
        ],
        "activities": [
            "Vrijwilligers werven en inwerken",
            "Digicafé op donderdagmiddag",
            "Thema-ochtend veilig internetbankieren",
            "Tevredenheidspeiling",
        ],
        "core": ["ontmoeting-en-debat", "kennis-en-informatie"],
        "topics": ["participatie-informatiesamenleving"],
        "fields": ["5", "3"],
        "budget": (800, 4000),
        "hours": (60, 250),
    },
    {
        "key": "mediawijsheid",
        "area": "digitaal",
        "titles": [
            "Mediawijsheid in groep 7 en 8",
            "Nepnieuws de klas uit",
            "Mediawijze ouders",
        ],
        "summaries": [
            "Mediacoaches geven lessen over nepnieuws, privacy en online pesten op "
            "basisscholen in {place}.",
            "Ouderavonden over schermtijd, games en sociale media, samen met het "
            "jongerenwerk en de scholen.",
        ],
        "goals": [
            "Kinderen herkennen nepnieuws en weten hoe ze hun privacy beschermen."
        ],
        "target_group": "Leerlingen van groep 7 en 8 en hun ouders",
        "partners": ["{school}", "Jongerenwerk {place}"],
        "indicators": [
            ("mediawijsheidslessen", "lessen", 10, 50),
            ("bezoekers ouderavonden", "ouders", 20, 120),
        ],
        "activities": [
            "Lesmateriaal actualiseren",
            "Lessen op scholen",
            "Ouderavond over schermtijd",
            "Evaluatie met leerkrachten",
        ],
        "core": ["kennis-en-informatie", "ontwikkeling-en-educatie"],
        "topics": ["mediawijsheid", "participatie-informatiesamenleving"],
        "fields": ["5", "ED"],
        "budget": (1500, 6000),
        "hours": (80, 300),
    },
    {
        "key": "leesclubs",
        "area": "lezen",
        "titles": [
            "Leesclubs voor volwassenen",
            "Nieuwe leesclubs in {place}",
            "Leesclub in eenvoudige taal",
        ],
        "summaries": [
            "We starten nieuwe leesclubs en ondersteunen bestaande met leesclubsets en "
            "een gespreksleider.",
            "Een leesclub in eenvoudige taal voor mensen die net beter hebben leren "
            "lezen, samen met het Taalhuis.",
        ],
        "goals": [
            "Meer volwassenen praten samen over boeken en ontdekken nieuwe literatuur."
        ],
        "target_group": "Volwassen lezers",
        "partners": ["Senia", "Taalhuis {place}"],
        "indicators": [
            ("actieve leesclubs", "leesclubs", 4, 20),
            ("uitgeleende leesclubsets", "sets", 20, 90),
        ],
        "activities": [
            "Leesclubsets aanvullen",
            "Startbijeenkomst nieuwe leden",
            "Gespreksleiders trainen",
        ],
        "core": ["lezen-en-literatuur", "ontmoeting-en-debat"],
        "topics": ["leesbevordering"],
        "fields": ["5"],
        "budget": (500, 3500),
        "hours": (40, 160),
    },
    {
        "key": "makerspace",
        "area": "ontwikkeling",
        "titles": [
            "Makerspace {place}",
            "FabLab in de bibliotheek",
            "Techniek en programmeren voor kinderen",
        ],
        "summaries": [
            "In de makerspace ontdekken kinderen en jongeren programmeren, 3D-printen "
            "en robotica; op woensdagmiddag is er vrije inloop.",
            "We richten een kleine makerspace in met een 3D-printer en microbits en "
            "bieden lessen aan voor scholen in {place}.",
        ],
        "goals": ["Kinderen doen ervaring op met techniek en digitale creativiteit."],
        "target_group": "Kinderen van 8 tot 14 jaar",
        "partners": ["Techniekpact {place}", "{school}"],
        "indicators": [
            ("deelnemers workshops", "kinderen", 60, 300),
            ("schoolklassen in de makerspace", "klassen", 6, 30),
        ],
        "activities": [
            "Ruimte inrichten en materialen aanschaffen",
            "Vrijwilligers werven",
            "Workshops op woensdagmiddag",
            "Schoolprogramma aanbieden",
        ],
        "core": ["ontwikkeling-en-educatie", "kunst-en-cultuur"],
        "topics": ["leven-lang-ontwikkelen", "participatie-informatiesamenleving"],
        "fields": ["5", "2"],
        "budget": (4000, 20000),
        "hours": (150, 500),
    },
    {
        "key": "debat",
        "area": "ontmoeting",
        "titles": [
            "Debatavonden over de toekomst van {place}",
            "Het Gesprek van {place}",
            "Politiek café in de bibliotheek",
        ],
        "summaries": [
            "Vier avonden per jaar gaan inwoners, raadsleden en deskundigen met elkaar "
            "in gesprek over een actueel lokaal thema.",
            "Voor de verkiezingen organiseren we een politiek café waar inwoners de "
            "lijsttrekkers van {place} kunnen bevragen.",
        ],
        "goals": [
            "Inwoners van verschillende achtergronden ontmoeten elkaar en praten mee over hun gemeente."
        ],
        "target_group": "Alle inwoners",
        "partners": ["Lokale omroep {place}", "Dorpsbelangen {place}"],
        "indicators": [
            ("debatavonden", "avonden", 3, 8),
            ("bezoekers", "bezoekers", 80, 400),
        ],
        "activities": [
            "Thema's kiezen met inwoners",
            "Gespreksleider en sprekers vastleggen",
            "Promotie via lokale media",
            "Verslag publiceren",
        ],
        "core": ["ontmoeting-en-debat"],
        "topics": ["participatie-informatiesamenleving"],
        "fields": ["5", "4"],
        "budget": (1000, 6000),
        "hours": (60, 200),
    },
    {
        "key": "senioren",
        "area": "ontwikkeling",
        "titles": [
            "Seniorenvoorlichting: langer thuis",
            "Informatiemarkt voor senioren",
            "Voorlichtingsreeks gezond ouder worden",
        ],
        "summaries": [
            "Met zorg- en welzijnspartners organiseren we voorlichtingsmiddagen over "
            "langer zelfstandig wonen, mantelzorg en geldzaken.",
            "Een jaarlijkse informatiemarkt voor senioren in {place}, met spreekuren "
            "van het Juridisch Loket en de ouderenadviseur.",
        ],
        "goals": [
            "Senioren weten waar ze terechtkunnen met vragen over wonen, zorg en geld."
        ],
        "target_group": "Senioren en mantelzorgers",
        "partners": [
            "Ouderenadviseur {place}",
            "Het Juridisch Loket",
            "Thuiszorg {place}",
        ],
        "indicators": [
            ("voorlichtingsbijeenkomsten", "bijeenkomsten", 4, 12),
            ("bezoekers", "bezoekers", 60, 300),
        ],
        "activities": [
            "Programma samenstellen met partners",
            "Voorlichtingsmiddagen",
            "Informatiemarkt",
            "Evaluatie met partners",
        ],
        "core": ["kennis-en-informatie", "ontmoeting-en-debat"],
        "topics": ["leven-lang-ontwikkelen"],
        "fields": ["5", "4"],
        "budget": (800, 5000),
        "hours": (50, 180),
    },
    {
        "key": "geldzaken",
        "area": "ontwikkeling",
        "titles": ["Geldzaken op orde", "Spreekuur Geldzaken in {place}"],
        "summaries": [
            "Samen met schuldhulpverlening bieden we workshops over budgetteren en een "
            "inloopspreekuur waar vrijwilligers helpen met formulieren en post.",
            "Inwoners met geldzorgen vinden in de bibliotheek laagdrempelig hulp, "
            "zonder wachtlijst.",
        ],
        "goals": ["Inwoners met geldzorgen vinden eerder hulp."],
        "target_group": "Inwoners met (dreigende) financiële problemen",
        "partners": ["Schuldhulpmaatje {place}", "Gemeente {place}"],
        "indicators": [
            ("workshops Geldzaken", "workshops", 4, 12),
            ("bezoekers spreekuur", "bezoeken", 40, 200),
        ],
        "activities": [
            "Vrijwilligers trainen",
            "Workshops plannen",
            "Spreekuur elke maand",
        ],
        "core": ["kennis-en-informatie", "ontwikkeling-en-educatie"],
        "topics": ["leven-lang-ontwikkelen", "participatie-informatiesamenleving"],
        "fields": ["5", "4"],
        "budget": (600, 3000),
        "hours": (50, 180),
    },
    {
        "key": "cultuur",
        "area": "ontmoeting",
        "titles": [
            "Cultuurprogramma {year}",
            "Exposities van lokale kunstenaars",
            "Schrijversbezoeken en literaire avonden",
        ],
        "summaries": [
            "Het hele jaar door exposeren lokale kunstenaars in de bibliotheek, met "
            "een opening en een kunstenaarsgesprek.",
            "We halen schrijvers naar {place} voor literaire avonden en schoolbezoeken, "
            "samen met de boekhandel.",
        ],
        "goals": ["Inwoners maken kennis met kunst en literatuur uit hun eigen regio."],
        "target_group": "Alle inwoners, in het bijzonder cultuurliefhebbers",
        "partners": ["Kunstkring {place}", "Boekhandel {place}"],
        "indicators": [
            ("exposities en literaire avonden", "activiteiten", 4, 12),
            ("bezoekers", "bezoekers", 150, 800),
        ],
        "activities": [
            "Programmering vastleggen",
            "Exposities wisselen",
            "Literaire avonden",
            "Publieksonderzoek",
        ],
        "core": ["kunst-en-cultuur", "lezen-en-literatuur"],
        "topics": ["leesbevordering"],
        "fields": ["5", "4"],
        "budget": (2000, 9000),
        "hours": (80, 300),
    },
    {
        "key": "huiswerk",
        "area": "ontwikkeling",
        "titles": [
            "Huiswerkbegeleiding in de bibliotheek",
            "Studieplekken en huiswerkklas",
        ],
        "summaries": [
            "Leerlingen uit het voortgezet onderwijs krijgen twee middagen per week "
            "gratis huiswerkbegeleiding door studenten.",
            "We bieden stille studieplekken en een huiswerkklas voor leerlingen die thuis "
            "geen rustige plek hebben.",
        ],
        "goals": ["Leerlingen hebben een rustige plek en hulp bij hun huiswerk."],
        "target_group": "Leerlingen in het voortgezet onderwijs",
        "partners": ["{vo_school}", "Hogeschool, opleiding Pedagogiek"],
        "indicators": [
            ("deelnemende leerlingen", "leerlingen", 15, 60),
            ("begeleidingsmiddagen", "middagen", 40, 80),
        ],
        "activities": [
            "Studenten werven",
            "Afspraken met mentoren",
            "Huiswerkklas op dinsdag en donderdag",
        ],
        "core": ["ontwikkeling-en-educatie"],
        "topics": ["leven-lang-ontwikkelen"],
        "fields": ["5"],
        "budget": (1500, 7000),
        "hours": (80, 300),
    },
    {
        "key": "collectie",
        "area": "kwaliteit",
        "titles": [
            "Vernieuwing collectie jeugd",
            "Collectie op maat van {place}",
            "Meer e-books en luisterboeken",
        ],
        "summaries": [
            "Op basis van uitleencijfers en wensen van scholen vernieuwen we de "
            "jeugdcollectie en schonen we verouderde titels op.",
            "We stemmen de collectie per vestiging af op de vraag en maken de digitale "
            "collectie beter zichtbaar.",
        ],
        "goals": ["De collectie sluit beter aan op wat inwoners lenen en vragen."],
        "target_group": "Alle leden",
        "partners": ["Provinciale ondersteuningsinstelling"],
        "indicators": [
            ("omloopsnelheid jeugdcollectie", "uitleningen per titel", 3, 6),
            ("afgeschreven verouderde titels", "titels", 800, 4000),
        ],
        "activities": [
            "Collectieanalyse",
            "Aanschafplan per vestiging",
            "Opschoning en herinrichting",
            "Meting na een half jaar",
        ],
        "core": ["kennis-en-informatie", "lezen-en-literatuur"],
        "topics": ["leesbevordering"],
        "fields": ["2", "5"],
        "budget": (5000, 25000),
        "hours": (100, 400),
    },
    {
        "key": "vrijwilligers",
        "area": "kwaliteit",
        "titles": [
            "Vrijwilligersbeleid vernieuwd",
            "Meer en beter toegeruste vrijwilligers",
        ],
        "summaries": [
            "We herschrijven het vrijwilligersbeleid, met een vast inwerkprogramma, "
            "een jaargesprek en scholing voor iedere vrijwilliger.",
            "Een vrijwilligerscoördinator brengt in kaart wie wat doet en zorgt voor "
            "waardering en scholing.",
        ],
        "goals": [
            "Vrijwilligers zijn goed ingewerkt, blijven langer en voelen zich gewaardeerd."
        ],
        "target_group": "Vrijwilligers van de bibliotheek",
        "partners": ["Vrijwilligerscentrale {place}"],
        "indicators": [
            ("actieve vrijwilligers", "vrijwilligers", 40, 150),
            ("vrijwilligers met een jaargesprek", "%", 60, 95),
        ],
        "activities": [
            "Beleid herschrijven",
            "Inwerkprogramma opstellen",
            "Jaargesprekken voeren",
            "Vrijwilligersavond",
        ],
        "core": [],
        "topics": [],
        "fields": ["3"],
        "budget": (1000, 5000),
        "hours": (60, 250),
    },
    {
        "key": "klantonderzoek",
        "area": "kwaliteit",
        "titles": [
            "Klanttevredenheidsonderzoek",
            "Wat vinden inwoners van de bibliotheek?",
        ],
        "summaries": [
            "We meten de tevredenheid van leden en bezoekers met een online enquête en "
            "gesprekken in de vestigingen, en bespreken de uitkomsten met het team.",
            "Een onderzoek onder leden én niet-leden in {place} moet laten zien wat "
            "inwoners van de bibliotheek verwachten.",
        ],
        "goals": [
            "We weten wat inwoners van ons vinden en verbeteren op de punten die ertoe doen."
        ],
        "target_group": "Leden, bezoekers en niet-leden",
        "partners": ["Onderzoeksbureau Lokaal"],
        "indicators": [
            ("respondenten", "respondenten", 300, 1500),
            ("rapportcijfer dienstverlening", "cijfer", 7, 8),
        ],
        "activities": [
            "Vragenlijst opstellen",
            "Enquête uitzetten",
            "Resultaten analyseren",
            "Verbeterpunten in het MT bespreken",
        ],
        "core": [],
        "topics": [],
        "fields": ["6", "5"],
        "budget": (2000, 8000),
        "hours": (40, 160),
    },
]

# Assurance projects (borgingsprojecten): an agreement that is checked every cycle.
ASSURANCE_THEMES = [
    {
        "key": "borging-avg",
        "area": "kwaliteit",
        "titles": ["Borging privacy en AVG"],
        "summaries": [
            "Elk half jaar controleren we of het verwerkingsregister actueel "
            "is, datalekken goed zijn afgehandeld en medewerkers de "
            "privacyregels kennen."
        ],
        "goals": ["De bibliotheek voldoet aantoonbaar aan de AVG."],
        "target_group": "Medewerkers en vrijwilligers",
        "partners": ["Functionaris gegevensbescherming"],
        "indicators": [("medewerkers met AVG-training", "%", 80, 100)],
        "activities": [
            "Verwerkingsregister controleren",
            "E-learning privacy",
            "Rapportage aan de directie",
        ],
        "core": [],
        "topics": [],
        "fields": ["7"],
        "budget": (500, 2500),
        "hours": (20, 80),
        "cycle": 6,
    },
    {
        "key": "borging-veiligheid",
        "area": "kwaliteit",
        "titles": ["Borging BHV en veiligheid in de vestigingen"],
        "summaries": [
            "Jaarlijks toetsen we per vestiging de ontruimingsplannen, de "
            "BHV-bezetting en de risico-inventarisatie."
        ],
        "goals": ["Elke vestiging is veilig voor bezoekers en medewerkers."],
        "target_group": "Medewerkers, vrijwilligers en bezoekers",
        "partners": ["Arbodienst"],
        "indicators": [("vestigingen met een geoefend ontruimingsplan", "%", 100, 100)],
        "activities": [
            "Ontruimingsoefening",
            "BHV-herhalingstraining",
            "RI&E bijwerken",
        ],
        "core": [],
        "topics": [],
        "fields": ["7", "2"],
        "budget": (1000, 4000),
        "hours": (30, 100),
        "cycle": 12,
    },
    {
        "key": "borging-klachten",
        "area": "kwaliteit",
        "titles": ["Borging klachtenafhandeling"],
        "summaries": [
            "Elk kwartaal bekijken we of klachten binnen de afgesproken termijn "
            "zijn afgehandeld en wat we ervan leren."
        ],
        "goals": [
            "Klachten worden binnen twee weken afgehandeld en leiden tot verbetering."
        ],
        "target_group": "Leden en bezoekers",
        "partners": [],
        "indicators": [("klachten binnen twee weken afgehandeld", "%", 90, 100)],
        "activities": ["Klachtenregistratie doornemen", "Verbeteracties vastleggen"],
        "core": [],
        "topics": [],
        "fields": ["6", "5"],
        "budget": (0, 500),
        "hours": (10, 40),
        "cycle": 3,
    },
    {
        "key": "borging-jaarplancyclus",
        "area": "kwaliteit",
        "titles": ["Borging van de jaarplancyclus"],
        "summaries": [
            "Twee keer per jaar bespreekt het MT de voortgang van alle projecten "
            "in Biblio Monitor en stelt het bij waar nodig."
        ],
        "goals": ["Alle projecten worden planmatig gevolgd en bijgestuurd."],
        "target_group": "Management en projectleiders",
        "partners": [],
        "indicators": [("projecten met een actuele PDCA-fase", "%", 80, 100)],
        "activities": [
            "Voortgangsoverleg voorjaar",
            "Voortgangsoverleg najaar",
            "Rapportage aan de raad van toezicht",
        ],
        "core": [],
        "topics": [],
        "fields": ["1", "6"],
        "budget": (0, 1000),
        "hours": (20, 60),
        "cycle": 6,
    },
]

SCHOOLS = [
    "OBS De Regenboog",
    "CBS De Wegwijzer",
    "IKC De Vlinder",
    "OBS Het Kompas",
    "RK Basisschool Sint Jozef",
    "OBS De Springplank",
    "KC De Sterrenboog",
]
SECONDARY_SCHOOLS = [
    "CSG Het Lyceum",
    "Scholengemeenschap De Meerwaarde",
    "Het Waddencollege",
    "RSG De Brug",
]

LOG_NOTES = {
    "plan": [
        "Projectplan besproken in het MT en vastgesteld.",
        "Doelen en indicatoren afgestemd met de partners.",
        "Begroting en inzet van uren vastgelegd.",
    ],
    "do": [
        "Eerste activiteiten uitgevoerd; de opkomst is goed.",
        "Uitvoering loopt volgens planning, één activiteit verschoven.",
        "Partners enthousiast; extra aanmeldingen via de scholen.",
    ],
    "check": [
        "Tussenmeting gedaan: de meeste doelen liggen op koers.",
        "Cijfers verzameld en vergeleken met de streefwaarden.",
        "Evaluatie met deelnemers en partners gehouden.",
    ],
    "act": [
        "Werving aangepast naar aanleiding van de tussenmeting.",
        "Afspraak gemaakt om het project structureel op te nemen in het aanbod.",
        "Werkwijze bijgesteld; taakverdeling met partners verduidelijkt.",
    ],
    "done": [
        "Project afgerond en verantwoord in het jaarverslag.",
        "Eindevaluatie gedeeld met de gemeente.",
    ],
}

# A second sentence for a summary, so the same theme reads differently in each plan.
SUMMARY_ADDITIONS = [
    "We doen dit samen met {partner}.",
    "In {year} richten we ons vooral op {place}.",
    "De aanpak bouwt voort op wat in het vorige jaar goed werkte.",
    "Nieuw is de samenwerking met {partner}.",
    "We beginnen klein in {place} en breiden uit als de eerste resultaten goed zijn.",
    "Vrijwilligers spelen een grote rol in de uitvoering.",
    "De gemeente {place} draagt bij in de kosten.",
    "Na de zomer evalueren we met {partner} of we doorgaan.",
    "",
    "",
]

EVALUATIONS = [
    "De samenwerking met de partners werkte goed; de werving kostte meer tijd dan "
    "verwacht. Volgend jaar starten we eerder met de promotie.",
    "De doelen zijn grotendeels gehaald. Vooral de persoonlijke benadering via "
    "partners bleek effectief.",
    "Het bereik bleef achter bij de verwachting. We hebben geleerd dat een vaste dag "
    "en tijd beter werkt dan wisselende momenten.",
]

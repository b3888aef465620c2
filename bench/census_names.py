"""Weighted name lists for the synthetic census: rough shares of births in England and Wales.

Each string is "name:weight ..."; weights are relative within the list. Origins are blended
(a child of any origin may have a British name), as in a real school roll.
"""

BOYS = """
oliver:60 george:55 noah:55 muhammad:50 arthur:45 leo:45 harry:40 oscar:40 archie:38 henry:36
theodore:35 freddie:34 jack:34 charlie:33 theo:32 alfie:30 jacob:30 thomas:30 finley:28 arlo:26
william:28 isaac:25 tommy:24 lucas:24 joshua:24 james:24 max:22 teddy:22 ethan:22 alexander:20
edward:20 mason:20 reggie:18 albie:18 rory:18 jude:18 hugo:18 samuel:18 elijah:17 louie:17
daniel:16 ronnie:16 frederick:15 benjamin:15 harrison:15 joseph:15 logan:15 jayden:14 adam:14 dylan:14
riley:14 jackson:13 sebastian:13 reuben:13 tobias:12 ezra:12 kai:12 luca:12 liam:12 matthew:12
ryan:12 nathan:11 callum:11 kian:10 connor:10 tyler:10 jake:10 zachary:10 alfred:10 stanley:10
ollie:9 toby:9 joel:9 bobby:9 harvey:9 michael:8 aaron:8 david:8 lewis:8 owen:8
"""

GIRLS = """
olivia:60 amelia:55 isla:50 ava:48 ivy:44 freya:42 lily:42 florence:40 mia:38 willow:36
rosie:35 sophia:35 isabella:34 grace:34 daisy:32 sienna:30 poppy:30 elsie:30 emily:30 ella:28
evelyn:28 phoebe:27 sofia:26 evie:26 charlotte:26 harper:25 millie:25 matilda:24 maya:24 sophie:24
alice:22 emilia:22 isabelle:21 ruby:21 luna:20 maisie:20 aria:20 penelope:19 mila:19 bonnie:18
eva:18 hallie:17 eliza:17 ada:17 violet:17 esme:16 arabella:16 imogen:16 jessica:15 delilah:15
lottie:14 thea:14 hannah:14 layla:14 chloe:13 erin:13 lucy:13 holly:12 scarlett:12 zara:12
molly:12 georgia:11 megan:11 katie:11 abigail:11 niamh:10 darcy:10 harriet:10 eleanor:10 summer:10
bella:9 ellie:9 aisha:9 nancy:9 martha:9 beatrice:8 annabelle:8 jasmine:8 lacey:8 amber:8
"""

SOUTH_ASIAN_BOYS = "muhammad:40 mohammed:25 mohammad:12 ibrahim:12 yusuf:12 ayaan:10 zain:10 ali:10 hamza:10 adam:8 omar:8 arjun:8 aarav:7 rehan:6 zayan:6 harjot:5 gurveer:5 rayan:6 aryan:6 hassan:6 bilal:5 idris:5 ismail:5 vihaan:4 krish:4"
SOUTH_ASIAN_GIRLS = "maryam:15 aisha:14 fatima:14 zainab:12 hafsa:10 inaya:10 aleena:9 anaya:9 amira:9 khadija:8 hana:8 zara:8 sana:6 ayesha:6 priya:6 simran:5 jasleen:5 anika:5 eshaal:5 mahnoor:5 noor:6 safa:4 ruqayyah:4 laiba:4"
POLISH_BOYS = "jakub:15 szymon:12 filip:12 kacper:12 antoni:10 jan:10 aleksander:10 franciszek:8 mikolaj:8 wojciech:7 adam:6 oskar:6 piotr:5 mateusz:6 tymon:5 igor:5"
POLISH_GIRLS = "zuzanna:15 julia:14 zofia:12 hanna:12 maja:12 lena:10 alicja:10 oliwia:8 amelia:8 pola:6 wiktoria:7 natalia:6 aleksandra:6 gabriela:5 nikola:5 antonina:5"
NIGERIAN_BOYS = "david:10 daniel:10 samuel:8 joshua:8 oluwaseun:6 chidi:6 emeka:5 tobiloba:6 ayomide:6 olumide:5 chinedu:5 tolu:5 femi:5 kayode:4 ikenna:4 obinna:4 temitope:4 chukwuemeka:4 adebayo:4 oluwatobi:4"
NIGERIAN_GIRLS = "grace:8 esther:7 favour:7 blessing:6 precious:6 oluwaseun:4 chioma:6 adaeze:5 ifeoma:5 ayomide:5 temitope:5 damilola:5 folake:4 ngozi:4 titilayo:4 adanna:4 amara:5 zainab:3 oluwadamilola:3"
IRISH_BOYS = "sean:10 conor:10 cian:8 oisin:8 darragh:7 ciaran:7 niall:6 padraig:5 eoin:6 rian:6 fionn:6 cillian:5 tadhg:5 liam:6 jack:6"
IRISH_GIRLS = "aoife:10 niamh:10 saoirse:8 caoimhe:7 ciara:7 roisin:7 siobhan:5 orla:6 clodagh:5 aisling:6 grainne:4 sinead:5 eabha:4 ailbhe:4 fiadh:5"

SOUTH_ASIAN_SURNAMES = "khan:30 patel:30 ali:22 hussain:20 ahmed:20 begum:16 singh:16 shah:12 akhtar:10 iqbal:10 rahman:10 mahmood:8 chaudhry:8 kaur:8 sharma:7 kumar:7 malik:7 islam:7 uddin:6 bibi:5 javed:5 sandhu:5 mistry:5 parmar:5 hossain:5 siddiqui:4 qureshi:4 rashid:4 sidhu:4 bhatti:4"
POLISH_SURNAMES = "nowak:12 kowalski:10 wiśniewski:8 wójcik:8 kowalczyk:8 kamiński:7 lewandowski:7 zieliński:6 szymański:6 woźniak:6 dąbrowski:5 kozłowski:5 jankowski:5 mazur:5 krawczyk:5 piotrowski:4 grabowski:4 pawlowski:4 michalski:4 zajac:4"
NIGERIAN_SURNAMES = "okafor:8 adeyemi:8 okonkwo:7 balogun:6 adebayo:7 eze:6 nwosu:6 ogunleye:5 abiodun:5 afolabi:5 okoro:5 obi:5 oyelaran:4 adewale:5 olawale:4 ibrahim:4 onyeka:4 chukwu:5 babatunde:4 oladipo:4"
IRISH_SURNAMES = "murphy:10 kelly:9 o'sullivan:7 walsh:8 o'brien:8 byrne:7 ryan:7 o'connor:7 o'neill:7 o'reilly:5 doyle:6 mccarthy:6 gallagher:5 o'doherty:4 kennedy:5 lynch:5 murray:5 quinn:5 moore:4 mcloughlin:4 fitzgerald:4 brennan:4"
OTHER_SURNAMES = "nguyen:5 chen:5 wong:4 mensah:5 osei:5 boateng:4 asante:4 mohamed:6 hassan:5 yilmaz:4 popescu:5 ionescu:4 silva:5 santos:5 ferreira:4 rossi:3 ahmadi:4 abdi:5 warsame:3 kim:3"

STREETS = [
    "high",
    "church",
    "station",
    "mill",
    "park",
    "victoria",
    "london",
    "queens",
    "kings",
    "green",
    "manor",
    "school",
    "york",
    "grange",
    "windsor",
    "chapel",
    "north",
    "south",
    "west",
    "orchard",
    "meadow",
    "springfield",
    "st",
    "johns",
    "the",
    "avenue",
    "albert",
    "alexandra",
    "cedar",
    "oak",
    "elm",
    "beech",
    "ash",
    "willow",
    "hawthorn",
    "rectory",
    "vicarage",
    "broadway",
    "priory",
]
STREET_TYPES = [
    "road:40",
    "street:20",
    "avenue:12",
    "lane:10",
    "close:10",
    "drive:8",
    "way:6",
    "gardens:5",
    "crescent:5",
    "grove:4",
]


# Postcode districts with their post towns: Essex first (the first deployment), then elsewhere.
def _districts(area: str, town: str, numbers) -> list[str]:
    return [f"{area}{n}:{town}" for n in numbers]


DISTRICTS = (
    _districts("SS", "Southend-on-Sea", (0, 1, 2, 3, 9))
    + _districts("SS", "Basildon", (13, 14, 15, 16))
    + _districts("RM", "Grays", (16, 17, 20))
    + _districts("RM", "Tilbury", (18,))
    + _districts("CM", "Chelmsford", range(1, 4))
    + _districts("CO", "Colchester", range(1, 5))
    + _districts("E", "London", range(1, 18))
    + _districts("B", "Birmingham", range(1, 40))
    + _districts("M", "Manchester", range(1, 30))
    + _districts("LS", "Leeds", range(1, 20))
    + _districts("BD", "Bradford", range(1, 15))
    + _districts("LE", "Leicester", range(1, 10))
    + _districts("NG", "Nottingham", range(1, 15))
    + _districts("BS", "Bristol", range(1, 16))
    + _districts("L", "Liverpool", range(1, 25))
    + _districts("S", "Sheffield", range(1, 20))
)


# What officers and families actually call children: the bench's own list, independent of the
# matcher's tables, so that the benchmark measures how many real-world nicknames it knows.
NICKNAMES = {
    "oliver": "ollie olly",
    "george": "georgie",
    "arthur": "art artie",
    "archie": "arch",
    "henry": "harry hal",
    "theodore": "theo teddy ted",
    "freddie": "fred freddy",
    "jack": "jackie",
    "charlie": "charles",
    "alfie": "alf",
    "jacob": "jake",
    "thomas": "tom tommy",
    "william": "will bill billy liam",
    "joshua": "josh",
    "james": "jim jamie jimmy",
    "alexander": "alex xander sandy",
    "edward": "ed eddie ted",
    "samuel": "sam sammy",
    "daniel": "dan danny",
    "benjamin": "ben benji",
    "joseph": "joe joey",
    "frederick": "fred freddie",
    "zachary": "zach zak",
    "alfred": "alfie alf",
    "matthew": "matt",
    "nathan": "nate",
    "michael": "mike mikey",
    "david": "dave davy",
    "muhammad": "mohammed mohamed mohammad",
    "mohammed": "muhammad mohamed",
    "mohammad": "muhammad mohammed",
    "elijah": "eli",
    "sebastian": "seb",
    "tobias": "toby",
    "jayden": "jaden",
    "callum": "cal",
    "stanley": "stan",
    "harrison": "harry",
    "reginald": "reggie",
    "ronald": "ronnie",
    "isaac": "zac",
    "olivia": "liv livvy",
    "amelia": "millie milly amy",
    "isabella": "bella izzy",
    "sophia": "sophie",
    "charlotte": "lottie charlie",
    "florence": "flo florrie",
    "evelyn": "evie",
    "emily": "em emmy",
    "matilda": "tilly tilda",
    "penelope": "penny",
    "eleanor": "ellie nell",
    "abigail": "abbie abby",
    "katie": "kate",
    "jessica": "jess",
    "annabelle": "annie belle",
    "arabella": "bella",
    "beatrice": "bea",
    "harriet": "hattie",
    "isabelle": "izzy belle",
    "elsie": "else",
    "emilia": "millie",
    "aleksandra": "ola",
    "aleksander": "olek alex",
    "jakub": "kuba",
    "zuzanna": "zuza",
    "oluwaseun": "seun",
    "tobiloba": "tobi",
    "ayomide": "ayo",
    "oluwatobi": "tobi",
    "chukwuemeka": "emeka",
    "damilola": "dami",
    "oluwadamilola": "dami",
    "temitope": "tope",
    "ifeoma": "ify",
    "ibrahim": "ibby",
    "maryam": "mariam",
    "aisha": "ayesha",
    "fatima": "fatimah",
}


def _faker_names(locale: str, attribute: str, weight: float) -> str:
    """Names from Faker's lists, each with the given weight."""
    import importlib
    import re

    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    ok = re.compile(r"^[^\W\d_]+(['-][^\W\d_]+)*$")
    return " ".join(f"{name.lower()}:{weight}" for name in getattr(provider, attribute) if ok.match(name))


def _en_gb_surnames() -> str:
    """en_GB's surnames with their real shares of the population (Smith 1.15 per cent)."""
    from faker.providers.person.en_GB import Provider

    return " ".join(f"{name.lower()}:{share}" for name, share in Provider.last_names.items())


# A long tail of rarer names, so that the common ones have realistic shares
# (Smith about 1.5 per cent of British-origin pupils, Oliver about 2.5 per cent of boys).
SURNAMES = " ".join(
    (
        _en_gb_surnames(),
        _faker_names("en_US", "last_names", 0.035),
        _faker_names("en_IE", "last_names", 0.004),
    )
)
BOYS += " ".join(
    ("", _faker_names("en_GB", "first_names_male", 1.5), _faker_names("en_US", "first_names_male", 1.0))
)
GIRLS += " ".join(
    ("", _faker_names("en_GB", "first_names_female", 1.5), _faker_names("en_US", "first_names_female", 1.0))
)
SOUTH_ASIAN_SURNAMES += (
    " " + _faker_names("en_PK", "last_names", 0.3) + " " + _faker_names("en_IN", "last_names", 0.3)
)
SOUTH_ASIAN_BOYS += " " + _faker_names("en_IN", "first_names_male", 0.5)
SOUTH_ASIAN_GIRLS += " " + _faker_names("en_IN", "first_names_female", 0.5)
POLISH_BOYS += " " + _faker_names("pl_PL", "first_names_male", 0.5)
POLISH_GIRLS += " " + _faker_names("pl_PL", "first_names_female", 0.5)
NIGERIAN_SURNAMES += (
    " " + _faker_names("yo_NG", "last_names", 1.0) + " " + _faker_names("ig_NG", "last_names", 1.0)
)
NIGERIAN_BOYS += " " + _faker_names("yo_NG", "first_names_male", 1.0)
NIGERIAN_GIRLS += " " + _faker_names("yo_NG", "first_names_female", 1.0)
IRISH_SURNAMES += " " + _faker_names("en_IE", "last_names", 0.05)

# Origin of a household: (share, boys, girls, surnames, share of children given a British name).
ORIGINS = {
    "british": (0.70, None, None, None, 1.0),
    "south_asian": (0.12, SOUTH_ASIAN_BOYS, SOUTH_ASIAN_GIRLS, SOUTH_ASIAN_SURNAMES, 0.15),
    "polish": (0.04, POLISH_BOYS, POLISH_GIRLS, POLISH_SURNAMES, 0.35),
    "nigerian": (0.04, NIGERIAN_BOYS, NIGERIAN_GIRLS, NIGERIAN_SURNAMES, 0.40),
    "irish": (0.05, IRISH_BOYS, IRISH_GIRLS, IRISH_SURNAMES, 0.50),
    "other": (0.05, None, None, OTHER_SURNAMES, 0.80),
}

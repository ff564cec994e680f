"""Who pupils are: DfE ethnicity codes with their national mix, and small name lists by heritage."""

from __future__ import annotations

from typing import Final

# DfE minor ethnicity codes, their major group and share of pupils in England (schools census 2024/25,
# rounded). The major group names match the store's `ethnicity_major` column.
ETHNICITIES: Final[tuple[tuple[str, str, float], ...]] = (
    ("WBRI", "White", 62.9),
    ("WIRI", "White", 0.3),
    ("WIRT", "White", 0.1),
    ("WROM", "White", 0.4),
    ("WOTH", "White", 7.3),
    ("MWBC", "Mixed", 1.6),
    ("MWBA", "Mixed", 0.9),
    ("MWAS", "Mixed", 1.8),
    ("MOTH", "Mixed", 2.6),
    ("AIND", "Asian", 3.6),
    ("APKN", "Asian", 4.8),
    ("ABAN", "Asian", 2.0),
    ("AOTH", "Asian", 2.1),
    ("BCRB", "Black", 0.9),
    ("BAFR", "Black", 4.1),
    ("BOTH", "Black", 0.6),
    ("CHNE", "Chinese", 0.7),
    ("OOTH", "Other", 2.2),
    ("REFU", "Unclassified", 0.3),
    ("NOBT", "Unclassified", 0.8),
)

ETHNICITY_MAJOR: Final[dict[str, str]] = {code: major for code, major, _ in ETHNICITIES}

# Share of White British pupils in some LAs (schools census); others use the national share.
WHITE_BRITISH_SHARE: Final[dict[int, float]] = {
    202: 0.28, 330: 0.28, 352: 0.36, 383: 0.62, 873: 0.72, 908: 0.90, 213: 0.22, 316: 0.06,
    340: 0.83, 856: 0.41, 926: 0.82, 886: 0.74, 841: 0.86, 390: 0.85, 805: 0.88,
}  # fmt: skip

# Share of pupils eligible for free school meals by LA; others use the national 25.7%.
FSM_SHARE: Final[dict[int, float]] = {
    202: 0.38, 330: 0.40, 352: 0.42, 383: 0.27, 873: 0.17, 908: 0.27, 213: 0.35, 316: 0.36,
}  # fmt: skip

# Name pools by heritage; an ethnicity code draws names from its pool (with some mixing).
HERITAGE: Final[dict[str, str]] = {
    "WBRI": "british", "WIRI": "british", "WIRT": "british", "WROM": "european", "WOTH": "european",
    "MWBC": "caribbean", "MWBA": "african", "MWAS": "south_asian", "MOTH": "british",
    "AIND": "south_asian", "APKN": "south_asian", "ABAN": "south_asian", "AOTH": "south_asian",
    "BCRB": "caribbean", "BAFR": "african", "BOTH": "african", "CHNE": "east_asian", "OOTH": "arabic",
    "REFU": "british", "NOBT": "british",
}  # fmt: skip

FORENAMES_F: Final[dict[str, tuple[str, ...]]] = {
    "british": (
        "Olivia", "Amelia", "Isla", "Ava", "Ivy", "Freya", "Lily", "Florence", "Mia", "Willow", "Rosie",
        "Sophia", "Isabella", "Grace", "Daisy", "Sienna", "Poppy", "Elsie", "Emily", "Ella", "Evelyn",
        "Phoebe", "Sofia", "Evie", "Charlotte", "Harper", "Millie", "Matilda", "Ruby", "Chloe", "Jessica",
        "Ellie", "Erin", "Holly", "Megan", "Lucy", "Hannah", "Maisie", "Niamh", "Orla",
    ),
    "european": (
        "Zofia", "Maja", "Julia", "Amelia", "Lena", "Hanna", "Alicja", "Ioana", "Maria", "Elena", "Anna",
        "Emilia", "Natalia", "Gabriela", "Sara", "Laura", "Viktoria", "Daria", "Ana", "Beatriz",
    ),
    "south_asian": (
        "Aisha", "Maryam", "Fatima", "Zara", "Hafsa", "Inaya", "Ayesha", "Anaya", "Amira", "Sana",
        "Priya", "Aanya", "Diya", "Saanvi", "Anika", "Khadija", "Zainab", "Safa", "Noor", "Ishani",
    ),
    "african": (
        "Amara", "Adaeze", "Chioma", "Zainab", "Ifeoma", "Favour", "Blessing", "Esther", "Precious",
        "Nala", "Ayomide", "Oluwaseun", "Abena", "Naomi", "Deborah", "Hope", "Imani", "Tiwa",
    ),
    "caribbean": (
        "Keisha", "Jada", "Aaliyah", "Tianna", "Shanice", "Maya", "Nia", "Kiara", "Jasmine", "Leah",
        "Destiny", "Tia", "Chantelle", "Amelia", "Grace",
    ),
    "east_asian": ("Mei", "Lin", "Yan", "Xin", "Jia", "Hui", "Ying", "Chloe", "Grace", "Emily", "Yue", "Qing"),
    "arabic": ("Layla", "Maryam", "Yasmin", "Sara", "Huda", "Nour", "Lina", "Amal", "Rania", "Salma"),
}  # fmt: skip

FORENAMES_M: Final[dict[str, tuple[str, ...]]] = {
    "british": (
        "Oliver", "George", "Noah", "Arthur", "Leo", "Oscar", "Harry", "Archie", "Jack", "Henry",
        "Charlie", "Freddie", "Theodore", "Thomas", "Alfie", "Jacob", "Teddy", "Finley", "Arlo", "Isaac",
        "Lucas", "James", "William", "Joshua", "Ethan", "Alexander", "Max", "Reuben", "Tommy", "Harvey",
        "Riley", "Jake", "Callum", "Kai", "Liam", "Connor", "Declan", "Owen", "Dylan", "Rhys",
    ),
    "european": (
        "Jakub", "Antoni", "Szymon", "Filip", "Mateusz", "Luca", "David", "Andrei", "Alexandru",
        "Gabriel", "Tomas", "Lukas", "Matei", "Nikola", "Marko", "Joao", "Diogo", "Stefan", "Adam", "Ivan",
    ),
    "south_asian": (
        "Muhammad", "Mohammed", "Ibrahim", "Yusuf", "Zayn", "Ayaan", "Rayyan", "Hamza", "Ali", "Musa",
        "Arjun", "Aarav", "Vihaan", "Krish", "Rohan", "Dev", "Aryan", "Abdullah", "Haris", "Imran",
    ),
    "african": (
        "David", "Daniel", "Samuel", "Joshua", "Emmanuel", "Chidi", "Tobi", "Kwame", "Kofi", "Tunde",
        "Olamide", "Ayodele", "Femi", "Victor", "Elijah", "Caleb", "Jayden", "Malachi",
    ),
    "caribbean": (
        "Jayden", "Tyrese", "Marcus", "Jermaine", "Andre", "Kai", "Isaiah", "Reggie", "Dante", "Nathan",
        "Micah", "Jordan", "Theo", "Josiah", "Xavier",
    ),
    "east_asian": ("Wei", "Jun", "Hao", "Yi", "Jian", "Ming", "Lucas", "Ethan", "Ryan", "Leo", "Kai", "Chen"),
    "arabic": ("Omar", "Yusuf", "Adam", "Khalid", "Karim", "Tariq", "Hassan", "Ahmed", "Sami", "Bilal"),
}  # fmt: skip

SURNAMES: Final[dict[str, tuple[str, ...]]] = {
    "british": (
        "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson",
        "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson",
        "Clarke", "Patel", "Hughes", "Edwards", "Turner", "Hill", "Moore", "Cooper", "Harris", "Ward",
        "Lewis", "Morris", "King", "Baker", "Harrison", "Morgan", "Allen", "James", "Scott", "Phillips",
        "Watson", "Davis", "Parker", "Price", "Bennett", "Young", "Griffiths", "Mitchell", "Kelly",
        "Cook", "Carter", "Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murphy", "Miller", "Cox",
        "Richards", "Khan", "Marshall", "Anderson", "Simpson", "Ellis", "Adams", "Singh", "Begum",
        "Wilkinson", "Foster", "Chapman", "Powell", "Webb", "Rogers", "Gray", "Mason", "Ali", "Hunt",
        "Hussain", "Campbell", "Matthews", "Owen", "Palmer", "Holmes", "Mills", "Barnes", "Knight",
        "Lloyd", "Butler", "Russell", "Barker", "Fisher", "Stevens", "Jenkins", "Murray", "Dixon",
        "Harvey", "O'Brien", "O'Connor", "Fitzgerald", "Walsh", "Byrne",
    ),
    "european": (
        "Nowak", "Kowalski", "Wisniewski", "Wojcik", "Kaminski", "Lewandowski", "Popescu", "Ionescu",
        "Popa", "Dumitru", "Stan", "Silva", "Santos", "Ferreira", "Pereira", "Rossi", "Russo", "Horvat",
        "Novak", "Petrov", "Ivanova", "Kazlauskas", "Ozturk", "Yilmaz", "Kaya",
    ),
    "south_asian": (
        "Khan", "Ahmed", "Ali", "Hussain", "Begum", "Rahman", "Akhtar", "Iqbal", "Mahmood", "Shah",
        "Patel", "Singh", "Kaur", "Sharma", "Kumar", "Gill", "Islam", "Uddin", "Miah", "Chowdhury",
        "Bibi", "Butt", "Malik", "Rashid", "Aziz",
    ),
    "african": (
        "Okafor", "Adeyemi", "Okeke", "Mensah", "Owusu", "Boateng", "Adebayo", "Oluwole", "Nwosu",
        "Eze", "Abdi", "Mohamed", "Osei", "Asante", "Bello", "Ogunleye", "Kamara", "Conteh",
    ),
    "caribbean": (
        "Campbell", "Brown", "Williams", "Thomas", "Francis", "Clarke", "Grant", "Henry", "Lewis",
        "Baptiste", "Joseph", "Charles", "Morgan", "Robinson", "Samuels",
    ),
    "east_asian": ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Wong", "Chan", "Lam", "Ng", "Cheung"),
    "arabic": ("Hassan", "Ibrahim", "Mahmoud", "Saleh", "Khalil", "Nasser", "Haddad", "Omar", "Yousef"),
}  # fmt: skip

# School names: a place-like stem with a phase-appropriate suffix.
SCHOOL_STEMS: Final[tuple[str, ...]] = (
    "Oakfield", "Riverside", "Highfield", "Greenacres", "Brookside", "Meadowbank", "Westfield",
    "Hillcrest", "Fairfield", "Parkside", "Ashgrove", "Beechwood", "Elmhurst", "Kingsway", "Queensbridge",
    "Woodlands", "Millbrook", "Southfields", "Northgate", "Eastbrook", "Hollybank", "Larkrise",
    "Mapledene", "Orchard", "Rosehill", "Stonebridge", "Thornhill", "Valley", "Whitecross", "Willowbank",
    "Church Lane", "Station Road", "Springfield", "Holmewood", "Broadoak", "Castle Hill", "Heathfield",
    "Lyndhurst", "Moorside", "Newlands", "Redhill", "Sandhurst", "Sunnyside", "Upton", "Wellington",
    "Chestnut", "Foxhill", "Grange", "Hazelwood", "Linden", "Marlborough", "Priory", "Ravenscroft",
)  # fmt: skip

SAINTS: Final[tuple[str, ...]] = (
    "St Mary's", "St John's", "St Peter's", "St Joseph's", "St Michael's", "Holy Trinity", "Christ Church",
    "St Anne's", "All Saints", "St Paul's", "Our Lady's", "St Andrew's",
)  # fmt: skip

# GIAS establishment types with their share within a phase.
SCHOOL_TYPES: Final[dict[str, tuple[tuple[str, float], ...]]] = {
    "primary": (
        ("Community school", 0.33),
        ("Voluntary aided school", 0.10),
        ("Voluntary controlled school", 0.08),
        ("Foundation school", 0.03),
        ("Academy converter", 0.30),
        ("Academy sponsor led", 0.12),
        ("Free schools", 0.04),
    ),
    "secondary": (
        ("Community school", 0.10),
        ("Voluntary aided school", 0.06),
        ("Foundation school", 0.04),
        ("Academy converter", 0.50),
        ("Academy sponsor led", 0.22),
        ("Free schools", 0.08),
    ),
    "special": (
        ("Community special school", 0.50),
        ("Foundation special school", 0.05),
        ("Academy special converter", 0.25),
        ("Academy special sponsor led", 0.10),
        ("Free schools special", 0.10),
    ),
}

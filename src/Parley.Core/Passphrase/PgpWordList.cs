namespace Parley.Core.Passphrase;

/// <summary>
/// The PGP word list (Juola and Zimmermann, PGPfone, 1995), lower-cased: one "even" word of two
/// syllables and one "odd" word of three syllables for each byte value, indexed by that byte. The
/// words were picked to sound unlike each other, so a code survives being read aloud; alternating
/// the lists catches a dropped or swapped word. Copied from magic-wormhole's src/wormhole/_wordlist.py
/// (itself from Warren Guy's transcription) and checked against the pgp-wordlist Haskell package's table.
/// </summary>
internal static class PgpWordList
{
    /// <summary>Two-syllable words, indexed by byte value.</summary>
    public static readonly string[] Even =
    [
        /* 00 */ "aardvark", "absurd", "accrue", "acme", "adrift", "adult", "afflict", "ahead",
        /* 08 */ "aimless", "algol", "allow", "alone", "ammo", "ancient", "apple", "artist",
        /* 10 */ "assume", "athens", "atlas", "aztec", "baboon", "backfield", "backward", "banjo",
        /* 18 */ "beaming", "bedlamp", "beehive", "beeswax", "befriend", "belfast", "berserk", "billiard",
        /* 20 */ "bison", "blackjack", "blockade", "blowtorch", "bluebird", "bombast", "bookshelf", "brackish",
        /* 28 */ "breadline", "breakup", "brickyard", "briefcase", "burbank", "button", "buzzard", "cement",
        /* 30 */ "chairlift", "chatter", "checkup", "chisel", "choking", "chopper", "christmas", "clamshell",
        /* 38 */ "classic", "classroom", "cleanup", "clockwork", "cobra", "commence", "concert", "cowbell",
        /* 40 */ "crackdown", "cranky", "crowfoot", "crucial", "crumpled", "crusade", "cubic", "dashboard",
        /* 48 */ "deadbolt", "deckhand", "dogsled", "dragnet", "drainage", "dreadful", "drifter", "dropper",
        /* 50 */ "drumbeat", "drunken", "dupont", "dwelling", "eating", "edict", "egghead", "eightball",
        /* 58 */ "endorse", "endow", "enlist", "erase", "escape", "exceed", "eyeglass", "eyetooth",
        /* 60 */ "facial", "fallout", "flagpole", "flatfoot", "flytrap", "fracture", "framework", "freedom",
        /* 68 */ "frighten", "gazelle", "geiger", "glitter", "glucose", "goggles", "goldfish", "gremlin",
        /* 70 */ "guidance", "hamlet", "highchair", "hockey", "indoors", "indulge", "inverse", "involve",
        /* 78 */ "island", "jawbone", "keyboard", "kickoff", "kiwi", "klaxon", "locale", "lockup",
        /* 80 */ "merit", "minnow", "miser", "mohawk", "mural", "music", "necklace", "neptune",
        /* 88 */ "newborn", "nightbird", "oakland", "obtuse", "offload", "optic", "orca", "payday",
        /* 90 */ "peachy", "pheasant", "physique", "playhouse", "pluto", "preclude", "prefer", "preshrunk",
        /* 98 */ "printer", "prowler", "pupil", "puppy", "python", "quadrant", "quiver", "quota",
        /* A0 */ "ragtime", "ratchet", "rebirth", "reform", "regain", "reindeer", "rematch", "repay",
        /* A8 */ "retouch", "revenge", "reward", "rhythm", "ribcage", "ringbolt", "robust", "rocker",
        /* B0 */ "ruffled", "sailboat", "sawdust", "scallion", "scenic", "scorecard", "scotland", "seabird",
        /* B8 */ "select", "sentence", "shadow", "shamrock", "showgirl", "skullcap", "skydive", "slingshot",
        /* C0 */ "slowdown", "snapline", "snapshot", "snowcap", "snowslide", "solo", "southward", "soybean",
        /* C8 */ "spaniel", "spearhead", "spellbind", "spheroid", "spigot", "spindle", "spyglass", "stagehand",
        /* D0 */ "stagnate", "stairway", "standard", "stapler", "steamship", "sterling", "stockman", "stopwatch",
        /* D8 */ "stormy", "sugar", "surmount", "suspense", "sweatband", "swelter", "tactics", "talon",
        /* E0 */ "tapeworm", "tempest", "tiger", "tissue", "tonic", "topmost", "tracker", "transit",
        /* E8 */ "trauma", "treadmill", "trojan", "trouble", "tumor", "tunnel", "tycoon", "uncut",
        /* F0 */ "unearth", "unwind", "uproot", "upset", "upshot", "vapor", "village", "virus",
        /* F8 */ "vulcan", "waffle", "wallet", "watchword", "wayside", "willow", "woodlark", "zulu",
    ];

    /// <summary>Three-syllable words, indexed by byte value.</summary>
    public static readonly string[] Odd =
    [
        /* 00 */ "adroitness", "adviser", "aftermath", "aggregate", "alkali", "almighty", "amulet", "amusement",
        /* 08 */ "antenna", "applicant", "apollo", "armistice", "article", "asteroid", "atlantic", "atmosphere",
        /* 10 */ "autopsy", "babylon", "backwater", "barbecue", "belowground", "bifocals", "bodyguard", "bookseller",
        /* 18 */ "borderline", "bottomless", "bradbury", "bravado", "brazilian", "breakaway", "burlington", "businessman",
        /* 20 */ "butterfat", "camelot", "candidate", "cannonball", "capricorn", "caravan", "caretaker", "celebrate",
        /* 28 */ "cellulose", "certify", "chambermaid", "cherokee", "chicago", "clergyman", "coherence", "combustion",
        /* 30 */ "commando", "company", "component", "concurrent", "confidence", "conformist", "congregate", "consensus",
        /* 38 */ "consulting", "corporate", "corrosion", "councilman", "crossover", "crucifix", "cumbersome", "customer",
        /* 40 */ "dakota", "decadence", "december", "decimal", "designing", "detector", "detergent", "determine",
        /* 48 */ "dictator", "dinosaur", "direction", "disable", "disbelief", "disruptive", "distortion", "document",
        /* 50 */ "embezzle", "enchanting", "enrollment", "enterprise", "equation", "equipment", "escapade", "eskimo",
        /* 58 */ "everyday", "examine", "existence", "exodus", "fascinate", "filament", "finicky", "forever",
        /* 60 */ "fortitude", "frequency", "gadgetry", "galveston", "getaway", "glossary", "gossamer", "graduate",
        /* 68 */ "gravity", "guitarist", "hamburger", "hamilton", "handiwork", "hazardous", "headwaters", "hemisphere",
        /* 70 */ "hesitate", "hideaway", "holiness", "hurricane", "hydraulic", "impartial", "impetus", "inception",
        /* 78 */ "indigo", "inertia", "infancy", "inferno", "informant", "insincere", "insurgent", "integrate",
        /* 80 */ "intention", "inventive", "istanbul", "jamaica", "jupiter", "leprosy", "letterhead", "liberty",
        /* 88 */ "maritime", "matchmaker", "maverick", "medusa", "megaton", "microscope", "microwave", "midsummer",
        /* 90 */ "millionaire", "miracle", "misnomer", "molasses", "molecule", "montana", "monument", "mosquito",
        /* 98 */ "narrative", "nebula", "newsletter", "norwegian", "october", "ohio", "onlooker", "opulent",
        /* A0 */ "orlando", "outfielder", "pacific", "pandemic", "pandora", "paperweight", "paragon", "paragraph",
        /* A8 */ "paramount", "passenger", "pedigree", "pegasus", "penetrate", "perceptive", "performance", "pharmacy",
        /* B0 */ "phonetic", "photograph", "pioneer", "pocketful", "politeness", "positive", "potato", "processor",
        /* B8 */ "provincial", "proximate", "puberty", "publisher", "pyramid", "quantity", "racketeer", "rebellion",
        /* C0 */ "recipe", "recover", "repellent", "replica", "reproduce", "resistor", "responsive", "retraction",
        /* C8 */ "retrieval", "retrospect", "revenue", "revival", "revolver", "sandalwood", "sardonic", "saturday",
        /* D0 */ "savagery", "scavenger", "sensation", "sociable", "souvenir", "specialist", "speculate", "stethoscope",
        /* D8 */ "stupendous", "supportive", "surrender", "suspicious", "sympathy", "tambourine", "telephone", "therapist",
        /* E0 */ "tobacco", "tolerance", "tomorrow", "torpedo", "tradition", "travesty", "trombonist", "truncated",
        /* E8 */ "typewriter", "ultimate", "undaunted", "underfoot", "unicorn", "unify", "universe", "unravel",
        /* F0 */ "upcoming", "vacancy", "vagabond", "vertigo", "virginia", "visitor", "vocalist", "voyager",
        /* F8 */ "warranty", "waterloo", "whimsical", "wichita", "wilmington", "wyoming", "yesteryear", "yucatan",
    ];
}

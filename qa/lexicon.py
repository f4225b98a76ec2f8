"""A small news thesaurus: words a question and its evidence use for the same thing.

A reader asks "how many were trapped" of an article that says "besieged", or
"who heads" of one that says "chief". These groups cover the events and roles
news reports keep returning to; they are matched on stems (``qa.text.stem``).
"""

from __future__ import annotations

from functools import lru_cache

from qa.text import stem

_GROUPS: tuple[tuple[str, ...], ...] = (
    # events
    ("kill", "die", "dead", "death", "toll", "slain", "slay", "live", "fatality", "casualty", "perish", "massacre"),
    ("wound", "injur", "injury", "hurt"),
    ("besiege", "siege", "trap", "encircle", "surround", "strand", "cut off"),
    ("attack", "ambush", "assault", "raid", "strike", "offensive", "storm", "bomb", "shell", "bombard", "clash"),
    ("capture", "seize", "take", "overrun", "grab", "confiscate", "loot"),
    ("negotiate", "broker", "mediate", "ink", "sign", "agree", "reach", "seal", "deal", "accord"),
    ("free", "liberate", "rescue", "relieve", "release", "break"),
    ("control", "hold", "run", "govern", "rule", "dominate"),
    ("defeat", "beat", "rout", "oust", "expel", "lose", "lost"),
    ("regain", "recapture", "retake", "claw", "recover"),
    ("report", "say", "announce", "claim", "state", "tell", "post", "confirm", "add", "quote"),
    ("speak", "say", "insist", "urge", "tell", "state", "remark", "comment"),
    ("goal", "aim", "objective", "purpose", "intent"),
    ("base", "headquarter", "locate"),
    ("talk", "meet", "meeting", "summit", "negotiation"),
    ("attend", "join", "participate"),
    ("overlook", "border", "sit", "lie", "locate", "near"),
    ("withdraw", "pull", "retreat", "pullout"),
    ("displace", "flee", "uproot", "refugee"),
    ("protect", "shield", "defend", "safeguard"),
    ("disappear", "miss", "vanish", "lose"),
    ("road", "highway", "motorway", "route", "street"),
    ("own", "owner", "ownership", "belong", "proprietor"),
    ("deep", "depth"),
    ("big", "size", "large", "budget", "cost", "worth"),
    ("high", "height", "tall"),
    ("far", "distance"),
    ("old", "age"),
    ("rise", "increase", "grow", "climb", "jump", "raise"),
    ("fall", "drop", "decline", "decrease", "cut"),
    ("vote", "ballot", "elect"),
    ("announce", "post", "say", "state", "publish", "declare", "claim"),
    # roles: "who heads X" is answered by "X chief Y"
    ("lead", "head", "chief", "leader", "director", "commander", "command", "boss", "chair", "chairman", "run"),
    ("spokesman", "spokeswoman", "spokesperson", "spokesman"),
    ("newspaper", "paper", "outlet", "site", "publication", "news", "agency", "source"),
    ("country", "nation"),
    ("period", "long", "hour", "day", "week", "month", "duration"),
)

# Verbs that say only that something happened; "when did the ambush begin" asks when the ambush was.
LIGHT_VERBS = frozenset(stem(w) for w in ("happen", "occur", "begin", "start", "take", "place", "go", "come", "be"))

# Nouns naming a role a person holds: a question asking for one needs it (or a synonym) in its evidence.
ROLE_NOUNS = frozenset(
    stem(w)
    for w in (
        "commander",
        "leader",
        "chief",
        "head",
        "director",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "president",
        "minister",
        "founder",
        "governor",
        "mayor",
        "general",
        "chairman",
        "boss",
        "prime minister",
        "ambassador",
        "envoy",
    )
)


@lru_cache(maxsize=1)
def _index() -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = {}
    for group in _GROUPS:
        stems = {stem(w) for w in group}
        for s in stems:
            index.setdefault(s, set()).update(stems)
    return {k: frozenset(v) for k, v in index.items()}


def related(term: str) -> frozenset[str]:
    """The stem itself and the stems that mean the same in news text."""
    return _index().get(term, frozenset()) | {term}

"""Whether a candidate sentence is evidence, and how well it covers the question.

A sentence that lacks a name the question is about, the asked event or the
asked place is not evidence at all: that is what makes refusals possible.
The coverage figures (names, words weighted by rarity) score the rest.
"""

from __future__ import annotations

from qa.candidate import WEIGHT_TOPIC, Candidate, Layer
from qa.lexicon import related
from qa.names import TextNames
from qa.phrase_finders import places_in
from qa.question import Question

MIN_ENTITY_WEIGHT = 0.35  # a name only in the next sentence or the title does not place a sentence
MIN_OTHER_COVERAGE = 0.45  # share of a free-form question's words its evidence must hold


def entity_coverage(question: Question, layers: list[Layer]) -> float | None:
    """Mean over the question's names of where each is found; None when one is missing."""
    if not question.entities:
        return 1.0
    total = 0.0
    for name in question.entities:
        found = max((layer.weight * layer.names.match(name) for layer in layers if layer.kind != "topic"), default=0.0)
        if found < WEIGHT_TOPIC:  # only then can the topic raise it: look at it (reading the article) only then
            found = max([found, *(layer.weight * layer.names.match(name) for layer in layers if layer.kind == "topic")])
        if found < MIN_ENTITY_WEIGHT:
            return None
        total += found
    return total / len(question.entities)


def term_coverage(c: Candidate) -> float:
    """IDF-weighted share of the question's words found, each counted where it is found best."""
    weights = {t: c.index.idf(t) for t in c.question.terms}
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    got = 0.0
    for t, w in weights.items():
        wanted = related(t)
        found = (
            layer.weight * (1.0 if layer.kind == "sentence" else 0.7)
            for layer in c.layers
            if layer.kind not in ("topic", "meta") and wanted & layer.terms
        )
        got += w * max(found, default=0.0)
    return got / total


def event_matches(c: Candidate) -> bool:
    """The sentence (or the one before) says the asked thing happened, not only names its actors."""
    q = c.question
    if q.kind == "count":
        # the count's own sentence says what happened to them ("27 workers were laid off")
        return q.verb is None or c.near(q.verb, ("sentence",))
    if q.kind == "person" and q.verb and any(c.index.known(r) for r in related(q.verb)):
        # "who owns the plant": the sentence that says who owns it, not one beside it
        return c.near(q.verb, ("sentence",))
    known = [t for t in q.predicate_terms if any(c.index.known(r) for r in related(t))]
    if not known:
        return True
    rarest = max(known, key=c.index.idf)
    if q.kind == "other":
        return c.near(rarest, ("sentence",))
    if q.kind == "date":
        return c.near(rarest, ("sentence",))  # "when was the cease-fire agreed": its date, not a battle's
    return any(c.near(t) for t in known)


def elsewhere(question: Question, text: str, layers: list[Layer]) -> bool:
    """True when the sentence is about another place than the asked one.

    "closed 13 ... in Leeds" does not answer a question about York even when
    Homs is named a sentence earlier, unless the context ties the two places
    together ("Ashford lies on the London-Dover railway").
    """
    if not question.places:
        return False
    own = layers[0].names
    missing = [p for p in question.places if not own.has(p)]
    if not missing:
        return False
    others = [p for p in places_in(text) if not any(TextNames(p).has(q) for q in question.places)]
    if not others:
        return False
    before = [layer.names for layer in layers if layer.kind in ("before1", "before2")]
    after = [layer.names for layer in layers if layer.kind == "after"]

    def tied(place: str, other: str) -> bool:
        # the next sentence may tie the two places together only when the asked place was named before
        if any(c.has(place) and c.has(other) for c in before):
            return True
        return any(c.has(place) for c in before) and any(c.has(place) and c.has(other) for c in after)

    return not all(tied(p, o) for p in missing for o in others)

"""Sentence-level evidence: which sentences of the retrieved articles answer the question.

Retrieval ranks chunks; an answer cites sentences. Each candidate sentence is
scored on what the question needs (its names, its words weighted by rarity,
the asked answer type) with its neighbours as context, so a sentence that
says "the insurgents" still matches a question about the group named one
sentence earlier. A sentence that lacks the asked type, a name the question is
about or the asked event is not evidence at all: that is what makes refusals
possible.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple, Protocol

from qa.chunking import article_sentences
from qa.hygiene import is_instruction
from qa.lexicon import related
from qa.lru import Lru
from qa.names import SentenceIndex, TextNames, text_tokens
from qa.numbers import Quantity, contains_number, find_quantities
from qa.question import PERSON_HEADS, Question, accepts, clean_name, find_names, place_names
from qa.reading import SEPARATOR, current, sentence_acronyms
from qa.text import STOPWORDS, fold, stem, terms, words
from qa.types import Article, Sentence

# How much a name or word found near a sentence counts, by where it is found:
# referents come before a sentence far more often than after it.
WEIGHT_SENTENCE = 1.0
WEIGHT_BEFORE = (0.7, 0.4)  # one and two sentences back
WEIGHT_AFTER = 0.35
WEIGHT_TITLE = 0.3
WEIGHT_TOPIC = 0.35
TOPIC_MENTIONS = 3
MIN_ENTITY_WEIGHT = 0.35  # a name only in the next sentence or the title does not place a sentence
MIN_OTHER_COVERAGE = 0.45  # share of a free-form question's words its evidence must hold

_DATE_RE = re.compile(
    r"\b(?:(?:early |late )?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?: (?:night|morning|"
    r"afternoon|evening))?|(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)(?: \d{1,2})?(?:,? \d{4})?|\d{1,2} (?:January|February|March|April|May|June|July|August|"
    r"September|October|November|December)(?: \d{4})?|\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{2}-\d{2}|"
    r"(?:in|since|by|until|from) (?:19|20)\d{2}|(?:last|next|this) (?:week|month|year|night)|yesterday|today|"
    r"over the last (?:\w+ )?(?:days|weeks|months))\b"
)
# How long something lasted: for "how long" / "over what period" questions, not for "when".
_DURATION_RE = re.compile(
    r"\b(?:(?:in|for|over|within|after|lasted) (?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve|"
    r"twenty|twenty-four|forty-eight|a few|several) (?:hours|days|weeks|months|years)|"
    r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten) (?:hours|days|weeks|months|years) of|"
    r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|thirty|sixty|ninety)-(?:hour|day|week|month|year))\b"
)
_EXACT_DATE_RE = re.compile(r"\d{1,2}[ .](?:[A-Z][a-z]+|\d{1,2})|[A-Z][a-z]+ \d{1,2}\b|\d{4}-\d{2}-\d{2}")
_METADATA_LINE = re.compile(r"^\W*(?:published|updated|posted|source|by|written by|credit)\b", re.IGNORECASE)
_METADATA_TERMS = {
    stem(w)
    for w in ("publish", "published", "publication", "outlet", "newspaper", "credited", "byline", "author", "wrote",
              "written", "source", "posted", "updated")
}  # fmt: skip
_NOT_MODIFIERS = {"and", "or", "who", "which", "that", "were", "was", "in", "on", "at", "from", "by", "of", "its"}
_COUNT_MODIFIERS = {"other", "more", "further", "own", "same"}  # "eight other regime soldiers"
_PERSON_HEAD_STEMS = frozenset(stem(w) for w in PERSON_HEADS)
_PRONOUNS = {"it", "he", "she", "they", "we", "the group", "the agency", "the militia", "the monitor"}


class TermIndex(Protocol):
    """What evidence scoring needs from the corpus: how rare a term is, whether it occurs."""

    def idf(self, term: str) -> float: ...

    def known(self, term: str) -> bool: ...


@dataclass(frozen=True)
class Evidence:
    """A sentence that answers the question, with the phrase that answers it."""

    article: Article
    sentence: Sentence
    quote_start: int  # where the cited quote starts: the sentence, or the one before it
    score: float
    phrase: str | None = None  # the answer phrase as written ("nearly 500")
    phrase_start: int | None = None  # absolute offsets of the phrase in the article
    phrase_end: int | None = None
    value: float | None = None  # for counts: the number, to compare figures
    claimant: str | None = None  # who the sentence says claims it ("the Observatory")
    grounded: bool = True  # the asked names are in the sentence or just before it (not only in the title or topic)


class Layer(NamedTuple):
    """One piece of a candidate's context: the sentence itself, a neighbour, the title, the topic."""

    weight: float
    names: TextNames
    terms: frozenset[str]
    kind: str  # "sentence" | "before1" | "before2" | "after" | "title" | "topic" | "meta"


def _layer(weight: float, text: str, kind: str) -> Layer:
    return Layer(weight, TextNames(text), frozenset(terms(text)), kind)


@dataclass(frozen=True)
class _Candidate:
    question: Question
    article: Article
    sentence: Sentence
    previous: Sentence | None
    layers: list[Layer]
    index: TermIndex
    prior: float

    def near(self, term: str, kinds: tuple[str, ...] = ("sentence", "before1")) -> bool:
        """Whether ``term`` or a synonym is in the given layers."""
        wanted = related(term)
        return any(layer.kind in kinds and wanted & layer.terms for layer in self.layers)


class _SentenceAcronyms:
    """The acronyms of the names in each sentence: kept from ingest, or found in one pass over the article.

    Kept apart from :class:`_Read` so the TextNames that ask for them hold no
    reference back to the article's reading (no reference cycles: an article
    dropped from the cache is freed at once, not by a full garbage collection).
    """

    def __init__(self, texts: list[str], kept: Sequence[frozenset[str]] | None = None) -> None:
        self._texts = texts
        self._per: Sequence[frozenset[str]] | None = kept

    @functools.cached_property
    def joined(self) -> str:
        """The article's sentences as one text (see :func:`qa.reading.sentence_acronyms`)."""
        return SEPARATOR.join(self._texts)

    @property
    def known(self) -> bool:
        """Whether the acronyms are known already (kept from ingest, or found for another name)."""
        return self._per is not None

    def per_sentence(self) -> Sequence[frozenset[str]]:
        if self._per is None:
            self._per = sentence_acronyms(self._texts)
        return self._per

    def whole(self) -> frozenset[str]:
        return frozenset().union(*self.per_sentence())

    def of(self, i: int) -> frozenset[str] | None:
        """Sentence ``i``'s acronyms if the article's names were found already (else None: find its own)."""
        return self._per[i] if self._per is not None else None


class _Read:
    """An article's sentences, each read (names, terms, instruction or not) only when first needed.

    A question looks at the sentences of the retrieved chunks and their
    neighbours, not at every sentence of every retrieved article; what is
    read is kept, so the next question about the same article reads nothing twice.
    """

    def __init__(
        self,
        sentences: list[Sentence],
        acronyms: Sequence[frozenset[str]] | None = None,
        instructions: frozenset[int] | None = None,
    ) -> None:
        """``acronyms``: of each sentence, and ``instructions``, the sentences that address a model,
        when known already (kept from ingest)."""
        self.sentences = sentences
        self._parts: dict[int, tuple[TextNames, frozenset[str]]] = {}
        self._tokens: dict[int, frozenset[str]] = {}  # each sentence's tokens
        self._instruction: dict[int, bool] = {}
        if instructions is not None:
            self._instruction = {i: i in instructions for i in range(len(sentences))}
        self._mentions: dict[str, int] = {}
        self._all: TextNames | None = None
        self._acronyms = _SentenceAcronyms([s.text for s in sentences], acronyms)
        self._index: SentenceIndex | None = None

    def _tokens_of(self, i: int) -> frozenset[str]:
        """Sentence ``i``'s tokens (see :class:`TextNames`)."""
        got = self._tokens.get(i)
        if got is None:
            got = self._tokens[i] = text_tokens(self.sentences[i].text)
        return got

    def _all_tokens(self) -> list[frozenset[str]]:
        return [self._tokens_of(i) for i in range(len(self.sentences))]

    def _whole(self) -> TextNames:
        """The whole article as one text (its names are found only if an acronym needs them).

        Its tokens are those of its sentences (no word runs across the separator that joins them), which
        the sentences' index and their look-ups share: each sentence is tokenized once.
        """
        if self._all is None:
            acronyms = self._acronyms
            self._all = TextNames(
                acronyms.joined,
                acronyms=acronyms.whole() if acronyms.known else acronyms.whole,
                tokens=frozenset().union(*self._all_tokens()),
            )
        return self._all

    def part(self, i: int) -> tuple[TextNames, frozenset[str]]:
        got = self._parts.get(i)
        if got is None:
            text = self.sentences[i].text
            # once the whole article's names are found (or if they were kept), a sentence's acronyms are read off them
            known = self._acronyms.of(i)
            got = self._parts[i] = (
                TextNames(
                    text,
                    acronyms=known if known is not None else functools.partial(self._acronyms.of, i),
                    tokens=self._tokens_of(i),
                ),
                frozenset(terms(text)),
            )
        return got

    def instruction(self, i: int) -> bool:
        got = self._instruction.get(i)
        if got is None:
            got = self._instruction[i] = is_instruction(self.sentences[i].text)
        return got

    def mentions(self, name: str) -> int:
        """How many sentences mention ``name`` (stops counting at TOPIC_MENTIONS)."""
        got = self._mentions.get(name)
        if got is None:
            got = 0
            # a name no sentence can mention is not in the article's text at all: one look at the whole text
            # spares reading every sentence (the usual case: most retrieved articles are about other things),
            # and tells which of the name's spellings ("Daesh", "IS", "Islamic State"...) are worth trying
            whole = self._whole()
            forms = whole.forms_in(name)
            if whole.match(name, forms) > 0:
                if self._index is None:
                    self._index = SentenceIndex([s.text for s in self.sentences], self._all_tokens())
                # only the sentences that can mention it are matched (most of an article cannot)
                for i in sorted(self._index.could_mention(name, forms, self._acronyms.per_sentence)):
                    if self.part(i)[0].match(name, forms) > 0:
                        got += 1
                        if got >= TOPIC_MENTIONS:
                            break
            self._mentions[name] = got
        return got


_READ_CACHE: Lru[tuple[str, str], _Read] = Lru(512)  # articles; a few MB


def _read(article: Article) -> _Read:
    """The article's sentences, read lazily and kept for the next question (keyed by its content hash)."""
    key = (article.article_id, article.content_hash or str(hash(article.text)))
    got = _READ_CACHE.get(key)
    if got is None:
        kept = article.reading if current(article.reading) else None
        got = (
            _Read(article_sentences(article), kept.acronyms, kept.instructions)
            if kept is not None
            else _Read(article_sentences(article))
        )
        _READ_CACHE.put(key, got)
    return got


def select_evidence(
    question: Question,
    articles: Mapping[str, Article],
    priors: Mapping[tuple[str, int], float],
    index: TermIndex,
) -> list[Evidence]:
    """Score the candidate sentences (keys of ``priors``) and return the eligible ones, best first.

    ``priors`` maps (article id, sentence start) to the retrieval score of the
    best chunk holding that sentence, normalised to 0..1.
    """
    chosen = _articles_asked_about(question, articles)
    wants_metadata = bool(_METADATA_TERMS & set(question.terms))
    out: list[Evidence] = []
    for article_id, article in articles.items():
        if chosen and article_id not in chosen:
            continue
        read = _read(article)
        sentences = read.sentences
        if wants_metadata:
            read = _Read(sorted([*sentences, *_metadata_lines(article)], key=lambda s: s.start))
            sentences = read.sentences
        candidates = []
        for i, sentence in enumerate(sentences):
            prior = priors.get((article_id, sentence.start))
            if prior is None and sentence.paragraph < 0:
                prior = 1.0 if chosen else 0.5  # a metadata line is never in a chunk
            if prior is not None:
                candidates.append((i, prior))
        if not candidates:
            continue
        topic = _topic_layer(question, article, read)
        meta = _layer(1.0, " ".join(x for x in (article.source, article.title) if x), "meta")
        title = _layer(WEIGHT_TITLE, article.title, "title") if article.title else None
        for i, prior in candidates:
            sentence = sentences[i]
            if read.instruction(i):
                continue
            layers = [Layer(WEIGHT_SENTENCE, *read.part(i), "sentence")]
            for back, weight in enumerate(WEIGHT_BEFORE, start=1):
                if i - back >= 0 and not read.instruction(i - back):
                    layers.append(Layer(weight, *read.part(i - back), f"before{back}"))
            if i + 1 < len(sentences):
                layers.append(Layer(WEIGHT_AFTER, *read.part(i + 1), "after"))
            if title is not None:
                layers.append(title)
            layers += [topic, meta]
            previous = sentences[i - 1] if i > 0 else None
            ev = _score(_Candidate(question, article, sentence, previous, layers, index, prior))
            if ev is not None:
                out.append(ev)
    out.sort(key=lambda e: (-e.score, e.article.article_id, e.sentence.start))
    return out


def _articles_asked_about(question: Question, articles: Mapping[str, Article]) -> set[str]:
    """Articles a question singles out by a quoted title or by its outlet ("according to the Post")."""
    chosen: set[str] = set()
    for article_id, article in articles.items():
        title = TextNames(article.title or "")
        if any(len(words(q)) >= 3 and _mostly_in(q, title) for q in question.quoted):
            chosen.add(article_id)
        source = TextNames(article.source or "")
        if article.source and any(source.has(c) for c in question.claimants):
            chosen.add(article_id)
    return chosen


def _mostly_in(phrase: str, names: TextNames) -> bool:
    toks = [fold(w) for w in words(phrase)]
    return sum(1 for t in toks if t in names.tokens) >= 0.8 * len(toks)


def _metadata_lines(article: Article) -> list[Sentence]:
    """The "Published ..." and "Source: ..." lines: citable for questions about the article itself."""
    lines = []
    for start, end in article.boilerplate:
        text = article.text[start:end].strip()
        if text and _METADATA_LINE.match(text):
            offset = article.text.index(text, start)
            lines.append(Sentence(offset, offset + len(text), text, paragraph=-1))
    return lines


def _topic_layer(question: Question, article: Article, read: _Read) -> Layer:
    """The question's names that the whole article is about: in its title or named three times.

    "When did Russia intervene in Syria?" is answered by "since Russia intervened
    militarily in 2015" in an article about Syria, though that sentence does not
    name Syria; a name mentioned once elsewhere in the article places nothing.
    """

    def names() -> TextNames:
        title = TextNames(article.title or "")
        topical = [name for name in question.entities if title.has(name) or read.mentions(name) >= TOPIC_MENTIONS]
        return TextNames(" ".join(topical))

    # only read when a sentence's own context does not place a name well enough (see _entity_coverage);
    # counting mentions reads every sentence of the article, which most candidates never need
    return Layer(WEIGHT_TOPIC, _LazyNames(names), frozenset(), "topic")


class _LazyNames(TextNames):
    """TextNames built on first look."""

    def __init__(self, build: Callable[[], TextNames]) -> None:
        self._build: Callable[[], TextNames] | None = build
        self._built: TextNames | None = None

    def _names(self) -> TextNames:
        if self._built is None:
            assert self._build is not None
            self._built, self._build = self._build(), None
        return self._built

    def match(self, name: str, forms: tuple[str, ...] | None = None) -> float:
        return self._names().match(name, forms)

    def has(self, name: str, forms: tuple[str, ...] | None = None) -> bool:
        return self._names().has(name, forms)


def _entity_coverage(question: Question, layers: list[Layer]) -> float | None:
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


def _term_coverage(c: _Candidate) -> float:
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


def _event_matches(c: _Candidate) -> bool:
    """The sentence (or the one before) says the asked thing happened, not only names its actors."""
    q = c.question
    if q.kind == "count":
        # the count's own sentence says what happened to them ("27 soldiers were killed")
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


def _claimant_matches(c: _Candidate, claimant: str | None) -> bool:
    if not c.question.claimants:
        return True
    said = TextNames(" ".join(x for x in (c.sentence.text, claimant, c.article.source) if x))
    return any(said.has(name) or said.match(name) > 0 for name in c.question.claimants)


def _score(c: _Candidate) -> Evidence | None:
    q = c.question
    # every test must pass; the ones that read only the sentence and its neighbours go first, so the one
    # that may read the whole article (whether it is about the asked names, see _topic_layer) comes last
    if not _event_matches(c) or _elsewhere(q, c.sentence.text, c.layers):
        return None
    own_and_before = c.sentence.text + " " + (c.previous.text if c.previous else "")
    if not all(contains_number(own_and_before, n) for n in q.numbers):
        return None
    term_cov = _term_coverage(c)
    if q.kind == "other" and term_cov < MIN_OTHER_COVERAGE:
        return None
    claimant = find_claimant(c.sentence.text)
    if claimant is not None and claimant.lower() in _PRONOUNS:
        # "It said ..." speaks for the sentence before
        claimant = find_claimant(c.previous.text) if c.previous is not None else None
    if not _claimant_matches(c, claimant):
        return None
    found = _PHRASE_FINDERS[q.kind](c)
    if found is None:
        return None
    entity_cov = _entity_coverage(q, c.layers)
    if entity_cov is None:
        return None
    score = 1.5 * entity_cov + 2.5 * term_cov + 1.0 * c.prior + found.strength
    phrase = phrase_start = phrase_end = None
    if found.span is not None:
        phrase_start, phrase_end = found.span
        phrase = c.article.text[phrase_start:phrase_end]
    return Evidence(
        article=c.article,
        sentence=c.sentence,
        quote_start=found.quote_start,
        score=score,
        phrase=phrase,
        phrase_start=phrase_start,
        phrase_end=phrase_end,
        value=found.value,
        claimant=claimant,
        grounded=all(
            any(layer.names.match(p) > 0 for layer in c.layers if layer.kind in ("sentence", "before1", "before2"))
            for p in (*q.entities, *q.places)
        ),
    )


def _elsewhere(question: Question, text: str, layers: list[Layer]) -> bool:
    """True when the sentence is about another place than the asked one.

    "killed 13 ... in Aleppo" does not answer a question about Homs even when
    Homs is named a sentence earlier, unless the context ties the two places
    together ("Akrab overlooks the Aleppo-Damascus highway").
    """
    if not question.places:
        return False
    own = layers[0].names
    missing = [p for p in question.places if not own.has(p)]
    if not missing:
        return False
    others = [p for p in _places_in(text) if not any(TextNames(p).has(q) for q in question.places)]
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


# ---- answer phrases --------------------------------------------------------


@dataclass(frozen=True)
class _Phrase:
    """What a phrase finder found."""

    span: tuple[int, int] | None  # absolute offsets in the article
    value: float | None
    strength: float
    quote_start: int  # absolute; earlier than the sentence when the phrase is in the one before


def _count_phrase(c: _Candidate) -> _Phrase | None:
    best: _Phrase | None = None
    text, start = c.sentence.text, c.sentence.start
    kinds = ("count",) if c.question.focus else ("count", "money", "percent")
    verbs = _word_positions(text, related(c.question.verb)) if c.question.verb else []
    quantities = [q for q in _quantities_in(text) if q.kind in kinds]
    # "killed 370,000 people and displaced millions": for "how many people were displaced" the figure
    # the asked verb takes counts, even without the noun after it
    generic = not c.question.focus or accepts(c.question.focus, "people")
    objects = {id(q) for q in quantities if generic and any(0 <= q.start - v[1] <= 3 for v in verbs)}
    for q in quantities:
        distance = _attached(c.question, text, q)
        if distance is None and _is_toll(c.question, text, q):
            distance = 1  # "the death toll rose to 19": a count of the dead without the noun
        if distance is None and id(q) in objects:
            distance = 1
        if distance is None:
            continue
        strength = (1.5 if distance == 0 else 1.2) + (0.5 if id(q) in objects else 0.0)
        if best is None or strength > best.strength:
            end = q.end
            unit = _UNIT.match(text[end:])
            if unit and not c.question.focus:
                end += unit.end()  # "28 kilometers", not "28"
            best = _Phrase((start + q.start, start + end), q.value, strength, start)
    return best


_UNIT = re.compile(
    r"\s*(?:kilometers|kilometres|km|miles|meters|metres|feet|tons|tonnes|kilograms|kg|hours|days|weeks|"
    r"months|years|degrees|hectares|acres|barrels|votes|seats)\b",
    re.IGNORECASE,
)
_TOLL_BEFORE = re.compile(r"\b(?:death\s+toll|toll|number\s+of\s+(?:dead|deaths|victims)|count)\b[^,.;]{0,80}$")


def _is_toll(question: Question, text: str, q: Quantity) -> bool:
    """A figure right after "death toll ... rose to" counts people killed, when people killed are asked."""
    if not question.focus or not accepts(question.focus, "casualty") or question.verb not in related("kill"):
        return False
    return _TOLL_BEFORE.search(text[: q.start]) is not None


def _attached(question: Question, text: str, q: Quantity) -> int | None:
    """How many modifier words stand between a count and the asked noun (None: not attached)."""
    tail = text[q.end :]
    # a count ends at punctuation: "two battalions, made up of 500 soldiers" gives two battalions
    stop = re.search(r"[,.;:()\u2013\u2014]| - ", tail)
    tail = tail[: stop.start()] if stop else tail
    following = words(tail)[:5]
    if not question.focus:
        return 0  # "by how much", "how deep": any figure near the asked measure
    for distance, word in enumerate(following[:4]):
        w = fold(word)
        if (w == "of" and distance == 0) or (w == "the" and distance == 1 and fold(following[0]) == "of"):
            continue  # "dozens of soldiers", "11 of the dead"
        if accepts(question.focus, stem(w)):
            return distance
        if (w in STOPWORDS and w not in _COUNT_MODIFIERS) or w in _NOT_MODIFIERS:
            break  # "24 hours of clashes its militants": the count is of hours
    return None


@functools.lru_cache(maxsize=8192)
def _names_in(text: str) -> tuple[tuple[int, int], ...]:
    """The names in a sentence (see :func:`find_names`), kept: several tests and most questions look again."""
    return tuple(find_names(text, skip_first=False))


@functools.lru_cache(maxsize=8192)
def _places_in(text: str, media: bool = False) -> tuple[str, ...]:
    """The names a sentence uses as places (see :func:`place_names`), kept like :func:`_names_in`."""
    return tuple(place_names(text, media=media))


@functools.lru_cache(maxsize=8192)
def _quantities_in(text: str) -> tuple[Quantity, ...]:
    """The figures in a sentence (see :func:`find_quantities`), kept like :func:`_names_in`."""
    return tuple(find_quantities(text))


@functools.lru_cache(maxsize=4096)
def _excluded(question: Question, name: str) -> bool:
    """Names the question itself gives are not its answer."""
    cleaned = clean_name(name)
    names = TextNames(cleaned)
    for given in (*question.entities, *question.claimants):
        if names.has(given) or TextNames(given).has(cleaned):
            return True
    return any(_mostly_in(cleaned, TextNames(q)) for q in question.quoted)


def _name_candidates(c: _Candidate, text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in _names_in(text):
        s, e = _without_given(c.question, text, s, e)
        if s >= e:
            continue
        name = text[s:e]
        if s == 0 and " " not in name.strip() and not _capitalised_elsewhere(c.article, name):
            continue  # "Meanwhile", "Heavy": capitalised only because they start the sentence
        head = re.match(r"\s*([\w-]+)", text[e:])
        person = head is not None and stem(head.group(1)) in _PERSON_HEAD_STEMS
        indefinite = re.search(r"\b(?:a|an)\s+$", text[max(0, s - 4) : s], re.IGNORECASE) is not None
        if indefinite and not person and c.question.kind == "person":
            continue  # "a Facebook post": a modifier, not an actor; "an HTS operative" is one
        out.append((s, e))
    return out


def _without_given(question: Question, text: str, s: int, e: int) -> tuple[int, int]:
    """Trim words the question itself gives off a name: "The Daesh-affiliated Aamaq" -> "Aamaq"."""
    if not _excluded(question, text[s:e]):
        return s, e
    parts = [(m.start() + s, m.end() + s) for m in re.finditer(r"\S+", text[s:e])]
    while parts and (
        _excluded(question, text[parts[0][0] : parts[0][1]])
        or fold(text[parts[0][0] : parts[0][1]]) in ("the", "a", "an")
    ):
        parts.pop(0)
    if not parts or _excluded(question, text[parts[0][0] : parts[-1][1]]):
        return s, s
    return parts[0][0], parts[-1][1]


_REFERRING = re.compile(r"^(?:.*?,\s+)?(it|he|she|they|the\s+[a-z-]+)\s", re.IGNORECASE)
_ACTOR_NOUNS = frozenset(
    stem(w)
    for w in """militia group agency council ministry company army police government court party official officials
    spokesman monitor observatory organisation organization movement faction rebels insurgents militants forces
    troops authorities committee board union firm club team network""".split()  # noqa: SIM905 - a word list
)


def _refers_to_actor(phrase: str) -> bool:
    """ "it", "they", "the militia" can stand for a named actor; "the vote" cannot."""
    head = phrase.split()[-1].lower()
    return head in ("it", "he", "she", "they") or stem(head) in _ACTOR_NOUNS or stem(head) in _PERSON_HEAD_STEMS


def _role_terms(question: Question) -> frozenset[str]:
    """The role a person question asks for: "commander", or "head" in "who heads X"."""
    if question.role:
        return related(question.role)
    lead = related("lead")
    if question.kind == "person" and any(t in lead for t in question.predicate_terms):
        return lead
    return frozenset()


def _word_positions(text: str, wanted: frozenset[str]) -> list[tuple[int, int]]:
    # "Kurdish-led" names no leader: the second half of a hyphenated word is not a word of its own
    return [
        (m.start(), m.end())
        for m in re.finditer(r"[^\W_]+", text)
        if stem(m.group()) in wanted and text[m.start() - 1 : m.start()] != "-"
    ]


def _words_between(text: str, a: tuple[int, int], b: tuple[int, int]) -> int:
    lo, hi = (a[1], b[0]) if a[0] < b[0] else (b[1], a[0])
    return len(words(text[lo:hi])) if hi > lo else 0


def _name_phrase(c: _Candidate) -> _Phrase | None:
    q, text, start = c.question, c.sentence.text, c.sentence.start
    candidates = _name_candidates(c, text)
    role = _role_terms(q)
    must_stand_by = role or (related(q.asked_noun) if q.adjacent and q.asked_noun else frozenset())
    if must_stand_by:
        # "X chief Rami Abdel Rahman": the name stands next to the role, and the role next to X
        anchors = _word_positions(text, must_stand_by)
        if role and q.entities:
            # "Observatory chief Rami Abdel Rahman" heads the Observatory: a name just before the
            # role says whose role it is, and it must be the asked one ("Mayor Helen Park" alone is fine)
            anchors = [a for a in anchors if _role_belongs(q, text, a)]
        candidates = [sp for sp in candidates if any(_beside(text, sp, a) for a in anchors)]
        if not candidates:
            return None
    asked_here = q.asked_noun is not None and bool(_word_positions(text, related(q.asked_noun)))
    strength = 2.0 if asked_here or must_stand_by else 1.0
    if candidates:
        s, e = _join_names(text, _pick_name(q, text, candidates), candidates)
        return _Phrase((start + s, start + e), None, strength, start)
    # "the militia said it broke the siege": the actor is named in the sentence before
    referring = _REFERRING.match(text)
    if c.previous is not None and referring and _refers_to_actor(referring.group(1)):
        before = _name_candidates(c, c.previous.text)
        if before:
            s, e = _join_names(c.previous.text, before[0], before)
            return _Phrase((c.previous.start + s, c.previous.start + e), None, strength * 0.8, c.previous.start)
    return None


def _role_belongs(q: Question, text: str, role: tuple[int, int]) -> bool:
    """Whether a role word is the asked entity's: the name right before it (if any) is that entity."""
    owner = [sp for sp in _names_in(text) if sp[1] <= role[0] and _beside(text, sp, role)]
    if not owner:
        of = re.match(r"\s+of\s+(?:the\s+)?", text[role[1] :])  # "the commander of X"
        if of:
            after = [sp for sp in _names_in(text) if sp[0] == role[1] + of.end()]
            return not after or any(TextNames(text[sp[0] : sp[1]]).match(n) > 0 for sp in after for n in q.entities)
        return True
    name = text[owner[-1][0] : owner[-1][1]]
    return any(TextNames(name).match(n) > 0 or TextNames(n).match(name) > 0 for n in q.entities)


def _beside(text: str, a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether two spans stand together in one phrase: "Observatory chief Rami Abdel Rahman"."""
    lo, hi = (a[1], b[0]) if a[0] < b[0] else (b[1], a[0])
    between = text[lo:hi] if hi > lo else ""
    return not re.search(r"[,.;:()]", between) and len(words(between)) <= 2


def _mentions(text: str, name: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that mention ``name`` (whole or by a distinctive word of it)."""
    spans = [(s, e) for s, e in _names_in(text) if TextNames(text[s:e]).match(name) > 0]
    return spans


def _pick_name(question: Question, text: str, candidates: list[tuple[int, int]]) -> tuple[int, int]:
    """The name that answers: beside the asked noun ("Liwa al-Quds, a pro-regime militia"),
    after "by" (passive), or the subject before the asked verb."""
    if question.asked_noun:
        nouns = _word_positions(text, related(question.asked_noun))
        if nouns:
            return min(candidates, key=lambda sp: min(_words_between(text, sp, n) for n in nouns))
    predicates: frozenset[str] = frozenset().union(*(related(t) for t in question.predicate_terms))
    verbs = _word_positions(text, predicates)
    if verbs:
        verb = verbs[0][0]
        # "negotiated by Russia", "under the control of HTS": the actor follows the predicate
        after_by = [
            sp
            for sp in candidates
            if sp[0] > verb and re.search(r"^\W*\w*\W+(?:\w+\W+)?(?:by|of)\s+(?:the\s+)?$", text[verb : sp[0]])
        ]
        if after_by:
            return after_by[0]
        before = [sp for sp in candidates if sp[1] <= verb]
        # "President X flew to Arequipa and declared": the actor, not the place it went to
        actors = [sp for sp in before if not _after_place_preposition(text, sp)]
        if actors or before:
            return (actors or before)[-1]
        return min(candidates, key=lambda sp: abs(sp[0] - verb))
    return candidates[0]


def _after_place_preposition(text: str, span: tuple[int, int]) -> bool:
    return (
        re.search(r"\b(?:to|in|at|near|from|into|outside|of)\s+(?:the\s+)?$", text[: span[0]], re.IGNORECASE)
        is not None
    )


def _join_names(text: str, chosen: tuple[int, int], candidates: list[tuple[int, int]]) -> tuple[int, int]:
    """Extend "Russia" to "Russia and Turkey" when the sentence names them together."""
    start, end = chosen
    for s, e in candidates:
        if s > end and re.fullmatch(r",?\s+(?:and|or)\s+", text[end:s]):
            end = e
    for s, e in reversed(candidates):
        if e < start and re.fullmatch(r",?\s+(?:and|or)\s+", text[e:start]):
            start = s  # "Maria Ortiz and Tom Becker voted": both, not the one nearest the verb
    return start, end


def _place_phrase(c: _Candidate) -> _Phrase | None:
    q, text, start = c.question, c.sentence.text, c.sentence.start
    asked = related(q.asked_noun) if q.asked_noun else frozenset()
    nouns = _word_positions(text, asked) if asked else []
    places: list[tuple[int, int]] = []
    as_place = set(_places_in(text, media=True))
    for s, e in _names_in(text):
        name = text[s:e]
        if _excluded(q, name):
            continue
        based = re.match(r"[-‐]based\b", text[e:]) is not None or name.endswith("-based")
        beside_noun = any(_words_between(text, (s, e), n) <= 1 for n in nouns)
        if clean_name(name) in as_place or based or beside_noun:
            places.append((s, e))
    if not places:
        return None
    if _asks_where_said(q):
        # "where did it announce that": the answer is a medium ("in a Facebook post"), not a town
        media = set(as_place) - set(_places_in(text))
        said_in = [sp for sp in places if clean_name(text[sp[0] : sp[1]]) in media]
        if said_in:
            s, e = said_in[0]
            return _Phrase((start + s, start + e), None, 2.0, start)
        return _place_span(q, text, start, places, nouns, 0.5)
    return _place_span(q, text, start, places, nouns, 2.0 if nouns else 1.0)


def _asks_where_said(q: Question) -> bool:
    said = related("announce") | related("report")
    return any(t in said for t in q.predicate_terms)


def _place_span(
    q: Question, text: str, start: int, places: list[tuple[int, int]], nouns: list[tuple[int, int]], strength: float
) -> _Phrase:
    if nouns:
        best = min(places, key=lambda sp: min(_words_between(text, sp, n) for n in nouns))
    else:
        best = _nearest_to_predicate(q, text, places)
    s, e = best
    if text[s:e].endswith("-based"):
        e -= len("-based")
    return _Phrase((start + s, start + e), None, strength, start)


def _date_phrase(c: _Candidate) -> _Phrase | None:
    text, start = c.sentence.text, c.sentence.start
    pattern = _DURATION_RE if c.question.duration else _DATE_RE
    spans = [(m.start(), m.end()) for m in pattern.finditer(text)]
    if c.question.exact:
        spans = [sp for sp in spans if _EXACT_DATE_RE.search(text[sp[0] : sp[1]])]
    if not spans:
        return None
    s, e = _nearest_to_predicate(c.question, text, spans)
    return _Phrase((start + s, start + e), None, 1.0, start)


def _other_phrase(c: _Candidate) -> _Phrase | None:
    return _Phrase(None, None, 0.0, c.sentence.start)


_PHRASE_FINDERS: dict[str, Callable[[_Candidate], _Phrase | None]] = {
    "count": _count_phrase,
    "person": _name_phrase,
    "place": _place_phrase,
    "date": _date_phrase,
    "other": _other_phrase,
}


def _capitalised_elsewhere(article: Article, word: str) -> bool:
    return re.search(r"[a-z,;] " + re.escape(word.strip()) + r"\b", article.text) is not None


def _nearest_to_predicate(question: Question, text: str, spans: list[tuple[int, int]]) -> tuple[int, int]:
    predicates: frozenset[str] = frozenset().union(*(related(t) for t in question.predicate_terms))
    anchors = [s for s, _ in _word_positions(text, predicates)]
    if not anchors:
        return spans[0]
    return min(spans, key=lambda sp: min(abs(sp[0] - a) for a in anchors))


_CLAIM_VERBS = r"(?:said|says|reported|reports|claimed|claims|told|added|announced|stated|confirmed)"


def find_claimant(text: str) -> str | None:
    """Who a sentence attributes its claim to: 'the Observatory', 'Baladi news (quoting an HTS operative)'."""
    who: str | None = None
    m = re.search(r"\baccording to ((?:the )?[^,.;]{2,60})", text)
    if m:
        who = m.group(1)
    if who is None:
        # ", the Observatory said." at the end
        m = re.search(r",\s+((?:the\s+)?[A-Z][^,.;]{1,60}?)\s+" + _CLAIM_VERBS + r"\s*[.!]?[\"”]?$", text)
        lower = r",\s+(the\s+[a-z][\w'’-]*(?:\s+[\w'’-]+){0,3})\s+" + _CLAIM_VERBS + r"\s*[.!]?[\"”]?$"
        m = m or re.search(lower, text)
        if m:
            who = m.group(1)
    if who is None:
        # "The Observatory said ...", "Baladi news, an activist-operated news site, said ..."
        m = re.match(r"^((?:The\s+)?[A-Z][^,.;]{1,60}?)(?:,[^,]{1,80},)?\s+" + _CLAIM_VERBS + r"\b", text)
        if m and len(m.group(1).split()) <= 8:
            who = m.group(1)
    if who is None:
        m = re.search(r"\b" + _CLAIM_VERBS + r"\s+(the\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)", text)
        if m:
            who = m.group(1)
    if who is None:
        return None
    q = re.search(r"\bquoting ((?:an? |the )?[^,.;]{2,60})", text)
    return f"{who.strip()} (quoting {q.group(1).strip()})" if q else who.strip()

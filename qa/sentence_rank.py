"""Sentences ranked by general signals: meaning, words and retrieval, with the question's constraints.

No vocabulary of any topic: a sentence is scored by the cosine of its vector
(the bundled embedder) with the question's, the rarity-weighted share of the
question's words it holds (alone, and with the sentence before it and the
title), and the retrieval score of its best chunk. A sentence is evidence only
when it meets what the question states: its names, numbers and years, quoted
phrases (in the sentence, its neighbours, the article's first sentence or its
title), what a count counts ("how many civilians") and the noun a name is asked
for ("which city"), and the type of answer it asks for (a date for "when", a
figure for "how many", a name for "who"). Measured on SQuAD 2.0 (``qa eval --squad``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from qa.answer_phrase import (
    GENERIC_COUNTED,
    Phrase,
    beside_asked_noun,
    beside_noun,
    candidates,
    choose_phrase,
    is_typed,
)
from qa.article_read import TOPIC_MENTIONS, read_article
from qa.chunking import article_sentences
from qa.evidence import Evidence, TermIndex
from qa.hygiene import is_instruction
from qa.lexicon import GENERAL_VERBS, LIGHT_VERBS, agents, is_kind, is_top_kind, related
from qa.lru import Lru
from qa.names import TextNames, name_tokens
from qa.numbers import contains_number
from qa.question import Question
from qa.text import fold, stem, terms, words
from qa.types import Article, Sentence, SentenceVectors
from qa.wordnet import pertains_to

Encode = Callable[[list[str]], "npt.NDArray[np.float32]"]
# the sentence vectors kept at ingest for the given articles, by article id (qa.store)
Kept = Callable[[Sequence[str]], Mapping[str, SentenceVectors]]

# Weights of the signals, fitted on the SQuAD 2.0 train sample (never the dev half it is measured on).
W_MEANING = 1.0
W_WORDS = 0.5
W_WORDS_CONTEXT = 0.2
W_RETRIEVAL = 0.3
# below it the best sentence is not trusted to answer (train sample, 400 questions: 1.05 -> 1.10 refuses
# 0.32 -> 0.36 of the unanswerable ones and finds 0.593 -> 0.591 of the others; with the windows below,
# 1,000 questions: 1.10 -> 1.14 keeps the unanswerable refused at least as often as without them). Since the
# learned answer gate (qa.answerability) judges every answer after it, 1.07: more answers pass here and the
# gate refuses the untrustworthy ones better than this score alone (SQuAD dev half, seed 0, 1,000 questions,
# with the gate: found and cited 0.714 -> 0.723, unanswerable refused 0.346 -> 0.401); at 1.0 this ranker's
# sentence wins over the typed rules' for two of eval/facts.jsonl's 67 original facts, wrongly
MIN_SCORE = 1.07
MIN_ROLE_SCORE = 0.85  # the same for a name in apposition to the noun the question asks for
MAX_CANDIDATES = 8  # sentences embedded per question: the best by words and retrieval
# of them, those also read with the sentence before them (train sample, 1,000 questions: found and cited
# 0.642 -> 0.647 with 2, 0.651 with 4, 0.652 with all 8; each costs an embedding of two sentences, and with 4
# the bench's answers at 10k chunks took 146 ms at p95, at the edge of the 150 ms target)
WINDOWS = 2
# verbs that say little of their own (grammar, not topic): not required of the evidence; nor are the copulas
# ("who became the second Karmapa Lama" is answered by "Karma Pakshi, 2nd Karmapa Lama")
_LIGHT_VERBS = LIGHT_VERBS | GENERAL_VERBS | frozenset(stem(w) for w in ("become", "remain", "seem"))
_YEAR = re.compile(r"\b(1[0-9]{3}|20[0-9]{2})\b")

_VECTORS: Lru[str, npt.NDArray[np.float32]] = Lru(20_000)  # sentence text -> unit vector (~30 MB)


@dataclass(frozen=True)
class RankedSentence:
    """A sentence that meets the question's constraints, with its score and answer phrase."""

    article: Article
    sentence: Sentence
    score: float
    phrase: Phrase | None


def sentence_vectors(
    rows: Sequence[tuple[Article, Sentence]], encode: Encode, kept: Kept | None
) -> npt.NDArray[np.float32]:
    """Unit vectors of the sentences of ``rows``: those kept at ingest (``kept``), the others embedded now."""
    stored = kept(list(dict.fromkeys(a.article_id for a, _ in rows))) if kept else {}
    found = [stored.get(a.article_id, {}).get(s.start) for a, s in rows]
    missing = [s.text for (_, s), v in zip(rows, found, strict=True) if v is None]
    fresh = iter(vectors(missing, encode)) if missing else iter(())
    return np.stack([v if v is not None else next(fresh) for v in found])


def vectors(texts: Sequence[str], encode: Encode) -> npt.NDArray[np.float32]:
    """Unit vectors of ``texts``, each embedded once per process."""
    missing = [t for t in dict.fromkeys(texts) if _VECTORS.get(t) is None]
    if missing:
        for text, vec in zip(missing, encode(missing), strict=True):
            _VECTORS.put(text, np.asarray(vec, dtype=np.float32))
    out = []
    for t in texts:
        got = _VECTORS.get(t)
        if got is None:  # dropped by the LRU in between: embed it again
            got = np.asarray(encode([t])[0], dtype=np.float32)
        out.append(got)
    return np.stack(out) if out else np.zeros((0, 1), dtype=np.float32)


def _constraints_met(question: Question, years: list[str], context: str, topical: frozenset[str] = frozenset()) -> bool:
    """The question's names, numbers, ``years`` and quoted phrases are all in ``context`` (a name may also be
    one of the article's ``topical`` ones, that it is about)."""
    names = TextNames(context)
    if not all(
        e in topical or names.has(e) or names.match(e) > 0 or _loosely_named(e, names.tokens) for e in question.entities
    ):
        return False
    if not all(contains_number(context, n) for n in question.numbers):
        return False
    if not all(y in context for y in years):
        return False
    low = context.lower()
    return all(q.lower() in low for q in question.quoted)


def _same_root(a: str, b: str) -> bool:
    """Two words of one root, the shorter (of 4 letters or more) opening the longer: "huguenot" / "huguenots",
    "christian" / "christianity", "west" / "western" (not "rivers" / "riverton")."""
    short, long = sorted((a, b), key=len)
    return len(short) >= 4 and long.startswith(short)


def _loosely_named(name: str, tokens: frozenset[str]) -> bool:
    """Whether the text's words (``tokens``) name ``name`` in another form: each of its words with one of the
    same root, or the noun an adjective is about ("French" / "France"); or its words written as one
    ("Apple Talk" / "AppleTalk")."""
    toks = name_tokens(name)
    if not toks:
        return False
    if len(toks) > 1 and "".join(toks) in tokens:
        return True

    def said(word: str) -> bool:
        return word in tokens or f"{word}s" in tokens or any(_same_root(word, t) for t in tokens if t[:1] == word[:1])

    return all(said(t) or any(all(said(w) for w in name_tokens(noun)) for noun in pertains_to(t)) for t in toks)


def _topical(question: Question, article: Article) -> frozenset[str]:
    """The question's names the article is about: named in three of its sentences ("Riverton" in a report
    of the flood there places the sentence about the evacuation before it)."""
    read = read_article(article)
    return frozenset(e for e in question.entities if read.mentions(e) >= TOPIC_MENTIONS)


def rank_sentences(
    question: Question,
    articles: Mapping[str, Article],
    priors: Mapping[tuple[str, int], float],
    index: TermIndex,
    encode: Encode,
    kept: Kept | None = None,
) -> list[RankedSentence]:
    """The candidate sentences (keys of ``priors``) that meet the question's constraints, best first.

    A sentence's vector is the one kept at ingest (``kept``) when there is one, else it is embedded now.
    """
    weights = {t: index.idf(t) for t in question.terms}
    total = sum(weights.values()) or 1.0
    # the question's own words beyond its names ("population" in "what is the population of Riverton")
    named = {t for e in question.entities for t in terms(e)}
    predicate = {t for t in question.terms if t not in named and not t[:1].isdigit()}
    # what a count counts ("how many were wounded" is not answered by how many were killed) and the noun
    # a name is asked for ("which city") are said in the sentence itself
    # a bare "how much"/"how far" has no counted noun for its verb to tell apart ("how much power does
    # the dam built in Cuyo generate": the verb found is not the one that matters)
    verb = question.verb if question.focus or question.kind != "count" else None
    verb = None if verb in _LIGHT_VERBS else verb  # "how many telecentres make up the network"
    required = {t for t in (verb, question.asked_noun) if t and t in predicate}
    required |= {t for t in question.focus if t not in GENERIC_COUNTED}  # "how many civilians": civilians
    years = _YEAR.findall(question.text)
    typed = is_typed(question)
    rows: list[tuple[float, Article, list[Sentence], int]] = []
    for article_id, article in articles.items():
        sentences = article_sentences(article)
        title_terms = set(terms(article.title or ""))
        for i, sentence in enumerate(sentences):
            prior = priors.get((article_id, sentence.start))
            if prior is None or is_instruction(sentence.text):
                continue
            own = set(terms(sentence.text))
            if (predicate and not any(related(t) & own for t in predicate) and not (typed and named & own)) or not all(
                related(t) & own or (t == question.asked_noun and any(is_kind(o, t) for o in own)) for t in required
            ):
                # it says nothing of what was asked ("population" in "what is the population of Riverton");
                # for a typed question, naming what was asked about will do: its phrase must be of the type
                continue
            before_terms = set(terms(sentences[i - 1].text)) if i else set()
            around = own | title_terms | before_terms
            words = sum(w for t, w in weights.items() if t in own) / total
            words_context = sum(w for t, w in weights.items() if t in around) / total
            partial = W_WORDS * words + W_WORDS_CONTEXT * words_context + W_RETRIEVAL * prior
            rows.append((partial, article, sentences, i))
    rows.sort(key=lambda r: -r[0])
    rows = rows[:MAX_CANDIDATES]
    if not rows:
        return []
    vecs = sentence_vectors([(article, sentences[i]) for _, article, sentences, i in rows], encode, kept)
    qvec = vectors([question.text], encode)[0]
    meaning = vecs @ qvec
    # "This document, the Guanabara Confession of Faith, ...": a sentence that answers what the one before it
    # introduces means the question only with it; the best few are also read with their previous sentence
    windows = [
        f"{sentences[i - 1].text} {sentences[i].text}" if i else sentences[i].text
        for _, _, sentences, i in rows[:WINDOWS]
    ]
    meaning[: len(windows)] = np.maximum(meaning[: len(windows)], vectors(windows, encode) @ qvec)
    out: list[RankedSentence] = []
    for (partial, article, sentences, i), cos in zip(rows, meaning, strict=True):
        sentence = sentences[i]
        # the names, numbers and years asked about may be said around the sentence: in the two before it,
        # the one after it, the article's first sentence or its title
        near = [sentences[k].text for k in (0, i - 2, i - 1, i + 1) if 0 <= k < len(sentences) and k != i]
        if not _constraints_met(
            question, years, " ".join((sentence.text, *near, article.title or "")), _topical(question, article)
        ):
            continue
        found = candidates(question, sentence.text)
        if found == []:  # the question asks for a type of phrase the sentence does not hold
            continue
        score = W_MEANING * float(cos) + partial
        out.append(RankedSentence(article, sentence, score, choose_phrase(question, sentence, found)))
    out.sort(key=lambda r: (-r.score, r.article.article_id, r.sentence.start))
    return out


def general_evidence(
    question: Question,
    articles: Mapping[str, Article],
    priors: Mapping[tuple[str, int], float],
    index: TermIndex,
    encode: Encode,
    kept: Kept | None = None,
) -> list[Evidence]:
    """The ranked sentences as evidence, when the best one scores high enough to answer (else none)."""
    ranked = rank_sentences(question, articles, priors, index, encode, kept)
    if not ranked:
        return []
    best = ranked[0]
    # a name standing beside the very noun asked for ("Rod Eddington, BA's chief executive") needs less
    beside = best.phrase is not None and (
        (
            question.asked_noun is not None
            and not is_top_kind(question.asked_noun)  # "the Acme Holdings group": any name stands beside "group"
            and beside_asked_noun(question, best.sentence.text, best.phrase)
        )
        # "who directed the show": "the show's director Richard Eyre"
        or (
            question.kind == "person"
            and question.verb is not None
            and beside_noun(agents(question.verb), best.sentence.text, best.phrase)
        )
    )
    if best.score < (MIN_ROLE_SCORE if beside else MIN_SCORE):
        return []
    out = []
    for r in ranked:
        p = r.phrase
        start = r.sentence.start
        out.append(
            Evidence(
                article=r.article,
                sentence=r.sentence,
                quote_start=start,
                score=r.score,
                phrase=p.text if p else None,
                phrase_start=start + p.start if p else None,
                phrase_end=start + p.end if p else None,
                value=p.value if p else None,
            )
        )
    return out


def not_found(question: Question, articles: Mapping[str, Article]) -> list[str]:
    """What the question states or asks for that no retrieved article says (for the refusal's note).

    Its names, quoted phrases, years and numbers, checked against each
    article's title and text; then what a count counts and the noun a name is
    asked for ("how many civilians", "which minister"), checked as words.
    """
    texts = [" ".join((a.title or "", a.text)) for a in articles.values()]
    names = [TextNames(t) for t in texts]
    missing = [f"“{e}”" for e in question.entities if not any(n.has(e) or _loosely_named(e, n.tokens) for n in names)]
    missing += [f"“{q}”" for q in question.quoted if not any(q.lower() in t.lower() for t in texts)]
    years = _YEAR.findall(question.text)
    missing += [y for y in years if not any(y in t for t in texts)]
    for n in question.numbers:
        shown = str(int(n)) if n == int(n) else str(n)
        if shown not in years and not any(contains_number(t, n) for t in texts):
            missing.append(shown)
    vocabulary: set[str] = set().union(*(terms(t) for t in texts)) if texts else set()
    for asked in (*question.focus, question.asked_noun):
        if asked and asked not in GENERIC_COUNTED and asked not in vocabulary:
            said = next((w for w in words(question.text) if stem(fold(w)) == asked), asked)
            missing.append(f"“{said}”")
    return list(dict.fromkeys(missing))

"""A question is not answered by a sentence that says the opposite of what it asks.

"What debates are closed to the public?" beside "Chamber debates and committee
meetings are open to the public.": the sentence meets the question's words but
one, and says that one's opposite. Such a sentence is not evidence. The
opposites are WordNet's antonyms ("closed" / "open", "win" / "lose", "public" /
"private", "first" / "last"), a general resource: no word list of any topic.
A word counts only when the sentence does not also say the asked word itself
and the question does not say the opposite too. Measured on SQuAD 2.0's dev
half (``qa eval --squad``), where changing one word for its opposite is a
common way its unanswerable questions were written: see eval/README.md.
"""

from __future__ import annotations

from qa.evidence import Evidence
from qa.lexicon import GENERAL_VERBS
from qa.question import Question
from qa.text import stem, terms
from qa.wordnet import opposite_stems

# never opposed: verbs that say little of their own, whose WordNet opposite often tells the same thing
# ("took command" / "was given command", "broke the siege" / "make"); words that compare ("which is more
# costly" is answered by "X is less costly than Y"); "like", far more often a preposition than a verb
_NOT_OPPOSED = GENERAL_VERBS | frozenset(
    stem(w) for w in ("take", "go", "come", "bring", "more", "less", "most", "least", "few", "many", "much", "like")
)


def opposed(question: Question, sentence: str) -> list[tuple[str, str]]:
    """The (asked word, its opposite) pairs where ``sentence`` says the opposite of a word of the question."""
    asked = set(question.terms)
    named = {t for e in question.entities for t in terms(e)}  # "the Middle East" is not in the middle of anything
    said = set(terms(sentence))
    return [
        (t, o)
        for t in question.terms
        if t not in said and t not in _NOT_OPPOSED and t not in named
        for o in sorted(opposite_stems(t))
        if o in said and o not in asked and o not in _NOT_OPPOSED
    ]


def keeps_sense(question: Question, evidence: list[Evidence]) -> list[Evidence]:
    """``evidence`` (best first) without the sentences that say the opposite of what ``question`` asks; none
    when the best one does: what the articles say closest to the question is its opposite."""
    if not evidence or opposed(question, evidence[0].sentence.text):
        return []
    return [evidence[0], *(e for e in evidence[1:] if not opposed(question, e.sentence.text))]

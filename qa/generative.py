"""LLM answers, checked sentence by sentence against the sources they cite.

The model sees numbered, delimited evidence sentences (with title, outlet and
date) and must end every sentence with markers. Its reply is then checked:

* markers map to the exact evidence sentences; unknown markers are dropped
  and reported;
* every number and name in an answer sentence must appear in what that
  sentence cites, or the sentence is flagged unsupported;
* when the articles disagree, every figure must be in the answer.

An answer that does not hold up is replaced by the extractive answer, with the
reason recorded in ``Answer.notes``: what the user is shown as supported is
always supported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

from qa.citations import MARKER_RE, make_citation, unsupported_claims
from qa.evidence import Evidence
from qa.extractive import REFUSAL, display_date, quote_says
from qa.hygiene import neutralise_markers
from qa.llm import ChatModel, Message
from qa.name_spans import find_names
from qa.names import TextNames
from qa.numbers import contains_number, find_quantities
from qa.templates import Templates
from qa.text import terms
from qa.types import Answer, Citation, SentenceSupport

REFUSAL_TOKEN = "NOT_IN_ARTICLES"
MAX_SOURCES = 8
_SENTENCE_END = re.compile(r"(?<=[.!?])(?:\s*\[\d{1,3}\])*\s+(?=\S)|(?<=\])\s+(?=[A-Z])")


def _attr(value: str | None) -> str:
    return (value or "unknown").replace('"', "'").replace("<", "‹").replace(">", "›")


def _source_text(text: str) -> str:
    # the evidence is data: no tag of ours and no marker of ours can be forged from inside it
    return neutralise_markers(text).replace("<", "‹").replace(">", "›")


def render_sources(sources: Sequence[Evidence]) -> str:
    """Numbered, delimited evidence blocks carrying title, outlet and date."""
    blocks = []
    for n, e in enumerate(sources, start=1):
        a = e.article
        blocks.append(
            f'<source id="{n}" title="{_attr(a.title)}" outlet="{_attr(a.source)}" '
            f'date="{_attr(display_date(a.published))}">{_source_text(e.quote)}</source>'
        )
    return "\n".join(blocks)


def messages_for(templates: Templates, question: str, sources: Sequence[Evidence]) -> list[Message]:
    """The chat messages asking for a cited answer."""
    return [
        {"role": "system", "content": templates.system},
        {"role": "user", "content": templates.render_answer(render_sources(sources), question)},
    ]


def split_sentences(text: str) -> list[str]:
    """An answer's sentences, each keeping the markers that follow it."""
    parts = [p.strip() for p in _SENTENCE_END.split(text.strip()) if p.strip()]
    return parts


@dataclass(frozen=True)
class Checked:
    """A model reply after the checks."""

    text: str  # with markers renumbered to the citations
    citations: list[Citation]
    sentences: list[SentenceSupport]
    dropped_markers: list[int]
    refused: bool
    attached: list[int] = field(default_factory=list)  # markers the check attached to unmarked sentences

    @property
    def supported(self) -> bool:
        """True when every sentence cites something and is backed by it."""
        return bool(self.sentences) and all(s.supported for s in self.sentences)


def check_reply(reply: str, sources: Sequence[Evidence]) -> Checked:
    """Map markers to sources and check every sentence against what it cites."""
    text = reply.strip()
    if not text or REFUSAL_TOKEN in text or "not in the articles" in text.lower():
        return Checked(REFUSAL, [], [], [], refused=True)
    order: dict[int, int] = {}  # source index -> citation marker, in order of first use
    dropped: list[int] = []
    attached: list[int] = []
    sentences: list[SentenceSupport] = []
    rendered: list[str] = []
    for sentence in split_sentences(text):
        cited_sources = []
        for m in MARKER_RE.findall(sentence):
            n = int(m)
            if not 1 <= n <= len(sources):
                dropped.append(n)
                continue
            order.setdefault(n, len(order) + 1)
            cited_sources.append(n)
        body = MARKER_RE.sub("", sentence).strip()
        body = re.sub(r"\s+([.,;!?])", r"\1", body)
        if not body:
            continue
        stating = _source_stating(body, sources) if not cited_sources else None
        if stating is not None:
            # small models often leave out markers: attach the one source that states every number and
            # name of the sentence (and shares most of its words); it is then checked like any citation
            order.setdefault(stating, len(order) + 1)
            cited_sources.append(stating)
            attached.append(order[stating])
        markers = list(dict.fromkeys(order[n] for n in cited_sources))
        cited = [make_citation(order[n], sources[n - 1]) for n in dict.fromkeys(cited_sources)]
        missing = unsupported_claims(body, cited)
        sentences.append(SentenceSupport(text=body, markers=markers, supported=not missing, unsupported=missing))
        tags = "".join(f"[{k}]" for k in markers)
        if tags and body[-1] in ".!?":
            rendered.append(f"{body[:-1]} {tags}{body[-1]}")  # "were evacuated [1]."
        else:
            rendered.append(f"{body} {tags}" if tags else body)
    citations = [make_citation(marker, sources[n - 1]) for n, marker in sorted(order.items(), key=lambda kv: kv[1])]
    return Checked(" ".join(rendered), citations, sentences, sorted(set(dropped)), refused=False, attached=attached)


ATTACH_OVERLAP = 0.3  # share of an unmarked sentence's words a source must hold to be attached


def _source_stating(sentence: str, sources: Sequence[Evidence]) -> int | None:
    """The 1-based source that states every number and name of ``sentence``, best word overlap first."""
    words = set(terms(sentence))
    if not words or (not find_quantities(sentence) and not find_names(sentence)):
        return None  # nothing checkable in it: a marker cannot be inferred
    best: tuple[float, int] | None = None
    for n, e in enumerate(sources, start=1):
        citation = make_citation(n, e)
        if unsupported_claims(sentence, [citation]):
            continue
        overlap = len(words & set(terms(citation.quote))) / len(words)
        if overlap >= ATTACH_OVERLAP and (best is None or overlap > best[0]):
            best = (overlap, n)
    return best[1] if best else None


def _only_restates(question: str, text: str) -> bool:
    """True when an answer holds no word the question does not ("Acme said the workers approved")."""
    asked = set(terms(question))
    return not (set(terms(text)) - asked - {"say", "report", "articl", "sourc"})


def _missing_figures(extractive: Answer, text: str) -> list[str]:
    """Figures of a disagreement (or the answer phrase) the model's answer leaves out."""
    figures = {c.figure for c in extractive.citations if c.figure} if extractive.conflict else {extractive.short}
    out = []
    for f in figures:
        if not f:
            continue
        values = [q.value for q in find_quantities(f) if q.kind == "count"]
        if (values and not contains_number(text, values[0])) or (not values and not TextNames(text).has(f)):
            out.append(f)
    return sorted(out)


def choose_sources(extractive: Answer, evidence: Sequence[Evidence]) -> list[Evidence]:
    """What the model may cite: the sentences the extractive answer cites first, then each other article's
    best, then the next best."""
    cited = {(c.article_id, c.start) for c in extractive.citations}
    first = [e for e in evidence if (e.article.article_id, e.quote_start) in cited]
    rest = [e for e in evidence if (e.article.article_id, e.quote_start) not in cited]
    # then the best sentence of each article not cited yet, so the model sees what every article says
    seen = {e.article.article_id for e in first}
    each: list[Evidence] = []
    for e in rest:
        if e.article.article_id not in seen:
            seen.add(e.article.article_id)
            each.append(e)
    rest = [e for e in rest if all(e is not x for x in each)]
    return (first + each + rest)[:MAX_SOURCES]


def finish(extractive: Answer, checked: Checked, model: ChatModel) -> Answer:
    """The model's answer if it holds up, else the extractive one with the reason in ``notes``."""
    notes = [f"dropped unknown citation marker [{n}]" for n in checked.dropped_markers]
    notes += [f"citation [{n}] attached to a sentence the model left without a marker" for n in checked.attached]
    mode = f"llm ({model.name})"
    if checked.refused:
        if extractive.refused:
            return replace(extractive, mode=mode, notes=notes)
        reason = "the model said the articles do not answer this, but they do"
    elif not checked.supported:
        bad = [s for s in checked.sentences if not s.supported]
        reason = (
            f"{len(bad)} of {len(checked.sentences)} sentence(s) of the model's answer not supported by what they cite"
        )
    elif extractive.conflict and (missing := _missing_figures(extractive, checked.text)):
        reason = f"the articles disagree but the model's answer leaves out {', '.join(missing)}"
    elif extractive.short and not extractive.conflict and _missing_figures(extractive, checked.text):
        # supported but beside the point: "27 workers were injured" for "how many managers"
        reason = f"the model's answer does not give what the articles say ({extractive.short})"
    elif _only_restates(extractive.standalone or extractive.question, checked.text):
        reason = "the model's answer only restates the question"
    else:
        text, citations = _with_agreeing(extractive, checked)
        return Answer(
            question=extractive.question,
            text=text,
            refused=False,
            conflict=extractive.conflict,
            citations=citations,
            short=extractive.short,
            mode=mode,
            standalone=extractive.standalone,
            sentences=checked.sentences,
            notes=notes,
        )
    return replace(
        extractive,
        mode=f"extractive (fallback from {model.name})",
        notes=[*notes, f"model answer not used: {reason}"],
        rejected=checked.text,
        rejected_sentences=checked.sentences,
    )


def _with_agreeing(extractive: Answer, checked: Checked) -> tuple[str, list[Citation]]:
    """The model's text and citations, with the other articles that state the same answer cited beside it.

    The model often cites one of several articles that say the same ("27 workers" in two reports); the
    extractive answer cites each of them, and so does this one, after the model's marker on that phrase.
    """
    short = extractive.short
    if not short or extractive.conflict:
        return checked.text, checked.citations
    at = checked.text.find(short)
    marker = MARKER_RE.search(checked.text, at) if at >= 0 else None
    if marker is None:
        return checked.text, checked.citations
    cited = {c.article_id for c in checked.citations}
    citations = list(checked.citations)
    added = ""
    for c in extractive.citations:
        if c.article_id not in cited and quote_says(c.quote, short):
            cited.add(c.article_id)
            citations.append(replace(c, marker=len(citations) + 1))
            added += f"[{len(citations)}]"
    if not added:
        return checked.text, checked.citations
    end = marker.end()
    while (more := MARKER_RE.match(checked.text, end)) is not None:  # after the whole "[1][2]"
        end = more.end()
    return checked.text[:end] + added + checked.text[end:], citations


def llm_answer(extractive: Answer, evidence: Sequence[Evidence], model: ChatModel, templates: Templates) -> Answer:
    """Ask the model, check its reply, and fall back to ``extractive`` when it does not hold up."""
    if extractive.refused:
        # no evidence of the asked type: nothing the model could cite, so nothing to ask it
        return replace(extractive, mode=f"llm ({model.name})")
    sources = choose_sources(extractive, evidence)
    reply = model.complete(messages_for(templates, extractive.standalone or extractive.question, sources))
    return finish(extractive, check_reply(reply, sources), model)


@dataclass(frozen=True)
class StreamEvent:
    """A piece of a streamed answer.

    ``delta`` is new text to show; ``citations`` are those resolved so far
    (a sentence's markers resolve when the sentence ends); the last event has
    ``answer`` set: the checked answer, which replaces the streamed text when
    the model's answer failed the checks.
    """

    delta: str
    citations: list[Citation]
    answer: Answer | None = None


def stream_llm_answer(
    extractive: Answer, evidence: Sequence[Evidence], model: ChatModel, templates: Templates
) -> Iterator[StreamEvent]:
    """Stream the model's answer as it arrives; check it at each sentence end and at the end."""
    if extractive.refused:
        yield StreamEvent(extractive.text, [], replace(extractive, mode=f"llm ({model.name})"))
        return
    sources = choose_sources(extractive, evidence)
    reply = ""
    resolved = 0
    for piece in model.stream(messages_for(templates, extractive.standalone or extractive.question, sources)):
        reply += piece
        sentences = split_sentences(reply)
        complete = len(sentences) - 1 if not re.search(r"[.!?](?:\s*\[\d+\])*\s*$", reply) else len(sentences)
        citations: list[Citation] = []
        if complete > resolved:
            resolved = complete
            citations = check_reply(" ".join(sentences[:complete]), sources).citations
        yield StreamEvent(piece, citations)
    answer = finish(extractive, check_reply(reply, sources), model)
    yield StreamEvent("", answer.citations, answer)

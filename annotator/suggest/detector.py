"""The detector: sentences → reporting cues → speakers → claims, linked to entities.

Per sentence, each accepted cue becomes an *attribution* (speaker phrase plus cue). An
attribution set off by a comma or a closing quote ("…,” his office said") reports the words
before it; any other one reports the clause or quotation after it ("X said that …", "He
added: “…”"). A clause runs to the next attribution or the end of the sentence.

The steps live in their own modules: ``attributions`` (cues and their speakers), ``subjects``
(harder speakers), ``claims`` (what each attribution reports), ``loose`` (rules found by a
pattern over the text). This one runs them per sentence, adds the whole-sentence rules (a
quote signed with a dash, introduced by a colon, or going on from the last one) and links
speakers and targets. Each rule category (``RULES``) can be switched off.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace

from annotator.offsets import Span

from .attributions import find_attributions, sentence_cues
from .claims import Found, find_claims
from .clauses import leading_np, trim
from .entities import EntityLinker
from .loose import LooseRules
from .quotes import Quote, find_quotes, top_level
from .sentences import Sentence, split_sentences
from .speakers import (
    Mention,
    SpeakerHistory,
    mention_of,
)
from .subjects import (
    sentence_subject,
)
from .tokens import (
    is_verb_like,
    tokenize,
    words,
)

# Rule categories, in the order the evaluation adds them; "base" is the seed-article detector.
RULES: tuple[str, ...] = (
    "base", "lead", "verbs", "split", "multi", "speakers", "dash", "colon", "stop", "nouns",
    "passive", "open", "evidence", "extra", "hedge", "topics", "coord", "turns", "negated",
    "according", "nested", "relative", "contracted", "quotes", "coref", "infinitive",
    "verbless", "asked",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Detected:
    """One suggested claim; every span is a code-point offset pair into the text."""

    claim: Span  # the quotation's words, or the reported clause without its full stop
    cue: Span | None  # "said", "told reporters", "according to", "quoted him as saying"
    speaker: Span | None  # the mention by the cue: "The United States", "his office", "He"
    speaker_antecedent: Span | None  # for "he"/"his office": the last named speaker before
    target: Span | None  # what the claim is about: an entity in it, or its subject
    stance: str | None  # "oppose"/"support" only after a hostile/approving cue, else None
    kind: str  # "direct", "indirect" or "mixed"
    speaker_entity: str | None  # canonical entity of the speaker (or of its antecedent)
    target_entity: str | None
    # A quotation split by its cue ("“We will win,” he said, “and rebuild.”"): the pieces, in
    # order; ``claim`` is then their outer extent. () for a claim of one piece.
    fragments: tuple[Span, ...] = ()
    rule: str = "base"  # the rule category that found it (see RULES)


_DASHES = "―—–"


def _signed(s: Sentence) -> tuple[Quote, Span, int, int] | None:
    """Rule "dash": a quotation signed with a dash, "“We matter.” ― Ana Ruiz" (the quote, the
    dash, and the name's first and last token). The name may be split off as a sentence of its
    own, so it is looked for on the rest of the line."""
    if len(s.quotes) != 1 or s.quotes[0].outer.start != s.span.start:
        return None
    q = s.quotes[0]
    toks, text = s.toks, s.text
    k = bisect_left(s.starts, q.outer.end)
    if k + 1 >= len(toks) or toks[k].text not in _DASHES or not toks[k + 1].is_capitalised:
        return None
    last = k + 1
    while last + 1 < len(toks) and last - k < 5 and toks[last + 1].is_capitalised:
        if "\n" in text[toks[last].end : toks[last + 1].start]:
            break
        last += 1
    line_end = text.find("\n", toks[last].end)
    rest = text[toks[last].end : len(text) if line_end == -1 else line_end]
    if "\n" in text[q.outer.end : toks[last].start] or rest.strip(" .\t\r\xa0"):
        return None  # not the whole rest of the line: "“…” — Ana Ruiz said, …"
    return q, Span(toks[k].start, toks[k].end), k + 1, last


def _introduced(s: Sentence, wide: bool) -> tuple[Quote, Mention, int] | None:
    """Rule "colon": a quotation after a colon in a sentence whose subject is a name or a
    pronoun, "Limbaugh continued: “…”", "McCaskill scolded him: “…”" (the quote, the subject,
    and the index of the colon)."""
    for k in range(s.i0 + 1, s.i1 - 1):
        if s.toks[k].text == ":" and k + 1 in s.opens:
            subject = sentence_subject(s, wide)
            if subject is None or subject.kind == "description" or k - s.i0 > 12:
                return None
            return s.opens[k + 1], subject, k
    return None


# Rule "nested": the cues whose claims inside another claim PolNeAR marks too, each right at
# least 60% of the time there on PolNeAR train (most, such as "want", "think", "support", are
# right less than a third of the time).
_NESTED = words(
    "express cite quote echo imply blame urge decline describe defend estimate challenge "
    "deem mock indicate aim remind"
) | {"call for", "talk about", "point to", "rail against"}


def _continuation(s: Sentence) -> Quote | None:
    """A sentence that is nothing but a quotation ("“It will cost us dearly.”")."""
    if len(s.quotes) != 1:
        return None
    q = s.quotes[0]
    rest = s.text[s.span.start : q.outer.start] + s.text[q.outer.end : s.span.end]
    return q if not rest.strip(" .,;:!?\t") else None


def detect(
    text: str,
    entities: Mapping[str, Sequence[str]] | None = None,
    *,
    rules: Collection[str] = RULES,
) -> list[Detected]:
    """Claims in reading order. ``entities`` maps canonical name -> aliases (case-insensitive
    match); ``rules`` are the rule categories to use (all by default; the evaluation switches
    them on one by one)."""
    on = frozenset(rules)
    quotes = top_level(find_quotes(text, "quotes" in on))
    quote_starts = [q.outer.start for q in quotes]
    tokens = tokenize(text)
    starts = [t.start for t in tokens]
    linker = EntityLinker(entities)
    history = SpeakerHistory()
    results: list[Detected] = []
    previous: Detected | None = None  # the last quotation claim of the previous sentence
    loose = LooseRules(text, on)
    for span in split_sentences(text, [q.outer for q in quotes], "stop" in on):
        s = Sentence(text, tokens, starts, span, quotes, quote_starts)
        extra = loose.found(s)
        for rule, _, _, mention in extra:
            if rule == "turns" and mention is not None:
                history.add(mention)  # "FALLIN: I think …": "I" is Fallin
        outer, inner = find_attributions(s, sentence_cues(s, starts, on), on)
        here = [_link(s, f, history, linker) for f in find_claims(s, outer, on)]
        if "nested" in on:
            # A claim inside a claim ("Murphy said he [supports] the bill") is one too.
            for att in (x for x in inner if x.cue.lemma in _NESTED):
                for f in find_claims(s, [replace(att, trailing=False)], on):
                    if not any(d.claim == f.claim for d in here):
                        here.append(_link(s, replace(f, rule="nested"), history, linker))
        for rule, claim, cue, mention in extra:
            overlaps = any(d.claim.start < claim.end and claim.start < d.claim.end for d in here)
            if overlaps and rule != "turns":  # a turn holds the claims made in it
                continue
            antecedent = history.resolve(mention) if mention else None
            if mention is not None:
                history.add(mention)
            named = antecedent.span if antecedent else mention.span if mention else None
            target = leading_np(s.tokens_in(claim.start, claim.end))
            here.append(
                Detected(claim, cue, mention.span if mention else None,
                         antecedent.span if antecedent else None, target, None, "indirect",
                         linker.name_of(text, named), linker.name_of(text, target), rule=rule)
            )  # fmt: skip
        if not here and "dash" in on and (signed := _signed(s)) is not None:
            q, dash, first, last = signed
            mention = mention_of(s.toks, first, last, s.i0)
            history.add(mention)
            claim = trim(text, q.inner.start, q.inner.end) or q.inner
            target = leading_np(s.tokens_in(claim.start, claim.end))
            here = [
                Detected(claim, dash, mention.span, None, target, None, "direct",
                         linker.name_of(text, mention.span), linker.name_of(text, target),
                         rule="dash")
            ]  # fmt: skip
        elif (
            not here
            and "colon" in on
            and (introduced := _introduced(s, "speakers" in on)) is not None
        ):
            q, mention, colon = introduced
            antecedent = history.resolve(mention)
            history.add(mention)
            claim = trim(text, q.inner.start, q.inner.end) or q.inner
            target = leading_np(s.tokens_in(claim.start, claim.end))
            verb = s.toks[colon - 1]
            cue = Span(verb.start, verb.end) if is_verb_like(s.toks, colon - 1) else None
            named = mention.span if antecedent is None else antecedent.span
            here = [
                Detected(claim, cue, mention.span, antecedent.span if antecedent else None,
                         target, None, "direct", linker.name_of(text, named),
                         linker.name_of(text, target), rule="colon")
            ]  # fmt: skip
        elif not here and previous is not None and (q := _continuation(s)) is not None:
            claim = trim(text, q.inner.start, q.inner.end) or q.inner
            if "multi" in on and previous is results[-1]:
                # A quotation that goes on in the next sentence (or paragraph) is one claim.
                pieces = (*(previous.fragments or (previous.claim,)), claim)
                previous = results[-1] = replace(
                    previous, claim=Span(previous.claim.start, claim.end), fragments=pieces,
                    rule="multi",
                )  # fmt: skip
                continue
            antecedent = previous.speaker_antecedent or previous.speaker
            target = leading_np(s.tokens_in(claim.start, claim.end))
            here = [
                Detected(claim, None, None, antecedent, target, None, "direct",
                         previous.speaker_entity, linker.name_of(text, target))
            ]  # fmt: skip
        quoted = [d for d in here if d.kind != "indirect" and (d.speaker or d.speaker_antecedent)]
        previous = quoted[-1] if quoted else None
        results.extend(here)
    if mixed := [q.outer for q in quotes if q.mixed]:
        # Claims that rule "quotes" made possible: their quotation has mixed marks.
        results = [
            replace(d, rule="quotes")
            if any(q.start < d.claim.end and d.claim.start < q.end for q in mixed)
            else d
            for d in results
        ]
    results.sort(key=lambda d: (d.claim.start, d.claim.end))
    return results


def _link(s: Sentence, f: Found, history: SpeakerHistory, linker: EntityLinker) -> Detected:
    """Resolve the speaker, link entities and pick a target for one found claim."""
    text = s.text
    att = f.attribution
    mention = att.mention
    speaker = mention.span if mention else None
    antecedent = att.antecedent or (history.resolve(mention) if mention else None)
    if mention is not None:
        history.add(mention)
    if att.antecedent is not None:
        history.add(att.antecedent)
    antecedent_span = antecedent.span if antecedent else None
    speaker_entity = linker.name_of(text, speaker) or linker.name_of(text, antecedent_span)
    target, target_entity = f.subject, linker.name_of(text, f.subject)
    if target is None:
        hit = linker.first_in(text, f.claim, exclude=speaker_entity)
        if hit is not None:
            target, target_entity = hit
        else:
            target = leading_np(s.tokens_in(f.claim.start, f.claim.end))
            target_entity = linker.name_of(text, target)
    return Detected(
        claim=f.claim,
        cue=att.cue.span,
        speaker=speaker,
        speaker_antecedent=antecedent_span,
        target=target,
        stance=att.cue.stance,
        kind=f.kind,
        speaker_entity=speaker_entity,
        target_entity=target_entity,
        fragments=f.fragments,
        rule=f.rule or att.rule,
    )

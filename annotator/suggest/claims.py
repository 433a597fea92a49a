"""Claims: the words each attribution of a sentence reports, from where they start to where
the next attribution or the sentence ends."""

from __future__ import annotations

from dataclasses import dataclass

from annotator.offsets import Span

from .attributions import Attribution
from .clauses import clause_start, shape, skip_adverbials, trim
from .lexicon import (
    OPEN_VERBS,
    Cue,
)
from .sentences import Sentence
from .tokens import (
    CLAUSE_LINKS,
    WEEKDAYS,
    is_verb_like,
    words,
)


@dataclass(frozen=True, slots=True)
class Found:
    claim: Span
    kind: str
    subject: Span | None  # the short subject of a quoted predicate, the claim's target
    attribution: Attribution
    fragments: tuple[Span, ...] = ()
    rule: str = ""  # when not the attribution's rule


_NOT_OPEN_START = words("to of by with for about in on at from as into after before during")


def _open_start(s: Sentence, cue: Cue, after: int, finite: bool) -> int | None:
    if cue.lemma not in OPEN_VERBS or (cue.form == "ing" and not finite):
        return None  # a participle's words need a clause: ", adding that …"
    k = skip_adverbials(s.toks, after, s.i1)
    while k < s.i1 and s.toks[k].lower in WEEKDAYS:
        k += 1  # "said Wednesday she …"
    if k >= s.i1:
        return None
    # "said on the MSNBC show “Morning Joe” that …", "said, among other things, that …"
    for j in range(k, min(s.i1 - 1, k + 16)):
        if s.toks[j].lower == "that":
            return j + 1
        if is_verb_like(s.toks, j) or s.toks[j].text in ".;:!?":
            break
    if not (s.toks[k].is_word or s.toks[k].text == "$"):
        return None
    return None if s.toks[k].lower in _NOT_OPEN_START else k


def _colon_ahead(s: Sentence, k: int) -> int | None:
    """The colon before a quotation a few words on, with no verb between: "said on Twitter:
    “…”", "wrote in a letter to donors: “…”"."""
    for j in range(k, min(s.i1 - 1, k + 8)):
        if s.toks[j].text == ":" and j + 1 in s.opens:
            return j
        if not s.toks[j].is_word or is_verb_like(s.toks, j):
            return None
    return None


def _verbless(s: Sentence, region: Span) -> bool:
    """Rule "verbless": words before a trailing attribution with no verb and no quotation
    ("On Saturday, Trump said …", "Overall, groups reported …") are an adverbial, not a claim."""
    toks = s.tokens_in(region.start, region.end)
    if len(toks) > 8 or s.quotes_in(region.start, region.end):
        return False
    return not any(is_verb_like(toks, k) for k in range(len(toks)))


def _boundary(s: Sentence, atts: list[Attribution], n: int, start: int) -> int:
    """Where a clause that starts at ``start`` ends: before the next attribution."""
    end = s.toks[s.i1 - 1].end
    semicolon = s.text.find(";", start, end)
    while semicolon != -1 and s.in_quote(semicolon):
        semicolon = s.text.find(";", semicolon + 1, end)
    if semicolon != -1:
        end = semicolon
    for m in range(n + 1, len(atts)):
        att = atts[m]
        if att.start <= start or att.start >= end:
            continue
        link = att.first - 1
        if not (att.trailing or att.participle) and s.toks[link].lower in CLAUSE_LINKS:
            return s.toks[link].start  # "… after rebels claimed …"
        return att.start
    return end


def find_claims(s: Sentence, atts: list[Attribution], on: frozenset[str]) -> list[Found]:
    found: list[Found] = []
    cursor = s.span.start
    firsts = {att.first for att in atts}

    def shaped(region: Span | None) -> tuple[Span, str, Span | None] | None:
        if region is None or not any(t.is_word for t in s.tokens_in(region.start, region.end)):
            return None
        quotes = s.quotes_in(region.start, region.end)
        return shape(s.text, region, quotes, s.tokens_in(region.start, region.end))

    def add(region: Span | None, att: Attribution, rule: str = "") -> None:
        nonlocal cursor
        if (piece := shaped(region)) is not None and region is not None:
            found.append(Found(*piece, att, rule=rule))
            cursor = max(cursor, region.end)

    def add_split(first: Span | None, second: Span | None, att: Attribution) -> None:
        """One claim in two pieces around its attribution: "“We will win,” he said, “and
        rebuild.”", "The plan, critics said, would fail"."""
        nonlocal cursor
        one, two = shaped(first), shaped(second)
        if one is None or two is None or first is None or second is None:
            add(first, att)
            add(second, att)
            return
        kind = (
            "direct"
            if one[1] == two[1] == "direct"
            else "mixed"
            if "mixed" in (one[1], two[1])
            else "indirect"
        )
        claim = Span(one[0].start, two[0].end)
        found.append(Found(claim, kind, one[2], att, (one[0], two[0]), "split"))
        cursor = max(cursor, second.end)

    for n, att in enumerate(atts):
        k = skip_adverbials(s.toks, att.after, s.i1)
        quote_after = k + 1 < s.i1 and s.toks[k].text in ":," and k + 1 in s.opens
        if not quote_after and "open" in on and (colon := _colon_ahead(s, k)) is not None:
            k, quote_after = colon, True  # "said on Twitter: “…”"
        if att.trailing:
            end = att.start
            # "The plan, critics said, would fail": the claim resumes after the attribution.
            resumes = k + 1 < s.i1 and s.toks[k].text == "," and k + 1 not in firsts
            if resumes and s.toks[k + 1].text[0].islower() and "split" in on:
                second = trim(
                    s.text, s.toks[k + 1].start, _boundary(s, atts, n, s.toks[k + 1].start)
                )
                add_split(trim(s.text, cursor, end), second, att)
                cursor = max(cursor, att.end)
                continue
            if resumes and s.toks[k + 1].text[0].islower():
                end = _boundary(s, atts, n, s.toks[k + 1].start)
            if quote_after and s.toks[k].text == "," and "split" in on:
                add_split(trim(s.text, cursor, end), s.opens[k + 1].outer, att)
                cursor = max(cursor, att.end)
                continue
            region = trim(s.text, cursor, end)
            if "verbless" in on and region is not None and _verbless(s, region):
                cursor = max(cursor, att.end)  # "On Saturday, Trump said: …", "Overall, …"
            else:
                add(region, att)
        if quote_after:
            add(s.opens[k + 1].outer, att)  # "He added: “…”"
        elif not att.trailing:
            after = att.after
            if att.cue.lemma == "according to" and after < s.i1 and s.toks[after].text == ",":
                after += 1
            begin = clause_start(s.toks, after, s.i1, att.cue, s.opens, "lead" in on, "verbs" in on)
            rule = ""
            if begin is None and "open" in on and att.mention is not None:
                begin, rule = _open_start(s, att.cue, after, not att.participle), "open"
            if begin is None and "according" in on and att.cue.lemma == "according to":
                # "According to a survey, 70% of adults …": all that follows the comma.
                comma = after > att.after and s.toks[after - 1].text == ","
                if comma and after < s.i1 and s.toks[after].is_word:
                    begin, rule = after, "according"
            if begin is not None:
                start = s.toks[begin].start
                end = _boundary(s, atts, n, start)
                if att.rule == "relative":  # "X, who said A, …": A ends at the comma
                    comma = s.text.find(",", start, end)
                    while comma != -1 and s.in_quote(comma):
                        comma = s.text.find(",", comma + 1, end)
                    end = end if comma == -1 else comma
                add(trim(s.text, start, end), att, rule)
        cursor = max(cursor, att.end)
    return found

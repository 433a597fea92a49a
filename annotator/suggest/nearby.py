"""The reporting cue of a claim whose claim and speaker spans are known. Pure Python.

On the annotate page, once an annotator has marked a claim and its speaker, the cue is
almost always a verb of saying right beside the speaker: "The United States, meanwhile,
said …", "“…,” Araghchi said", "“…,” said Araghchi". Proposing it saves a selection and a
key; the annotator sees it and can clear it.
"""

from __future__ import annotations

from annotator.offsets import Span

from .lexicon import Cue, find_cues

NEAR = 40  # characters after a speaker that follows its claim ("…,” Araghchi said")
GAP = 200  # a speaker further from its claim than this is not beside it


def _line_end(text: str, start: int, end: int) -> int:
    """``end``, or the first line break before it."""
    breaks = [i for i in (text.find("\n", start, end), text.find("\r", start, end)) if i >= 0]
    return min(breaks, default=end)


def cue_near(text: str, claim: Span, speaker: Span) -> Span | None:
    """The cue between a speaker and its claim, or just after a speaker that follows it."""
    if speaker.start < claim.end and claim.start < speaker.end:
        return None  # overlapping: no "between"
    found: list[Cue] = []
    if speaker.end <= claim.start:
        if claim.start - speaker.end <= GAP:
            found = find_cues(text, speaker.end, _line_end(text, speaker.end, claim.start))
        return found[0].span if found else None
    if speaker.start - claim.end <= GAP:
        found = find_cues(text, claim.end, speaker.start)
        if found:
            return found[-1].span  # "…,” said Araghchi"
    found = find_cues(text, speaker.end, _line_end(text, speaker.end, speaker.end + NEAR))
    return found[0].span if found else None

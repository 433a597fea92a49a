"""Reporting cues: verbs of saying in all their forms, and fixed phrases ("according to").

Each verb is listed once by its base form; the inflected forms are generated, with the few
irregular ones given. A match here is only a candidate: ``detector`` drops nouns ("the
claim"), negations ("did not say") and passives ("was told").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from annotator.offsets import Span

from .tokens import words

# Claims may follow these as a to-infinitive: "vowed to defeat", "claimed to have seized".
INFINITIVE = words(
    "claim vow pledge promise threaten deny want plan hope expect decline refuse seek agree "
    "urge intend decide ask demand propose push aim wish desire persuade convince encourage "
    "implore plead beg swear continue"
)
# A confident stance guess: these cues say what the speaker is against (or for).
HOSTILE = words("deny condemn reject dismiss denounce refute criticise criticize decry deplore")
SUPPORTIVE = words("praise welcome hail endorse applaud commend")
# With a thing, not a person, as subject these report evidence, not speech: "polls suggest".
EVIDENTIAL = frozenset(["suggest", "show", "find", "indicate"])
EVIDENCE_NOUNS = words(
    "poll polls survey surveys data figures figure study studies evidence research results "
    "numbers statistics findings analysis trends signs"
)

_VERBS = words(
    "say tell add argue claim insist warn state note suggest concede maintain deny vow announce "
    "declare explain assert acknowledge admit allege confirm contend stress emphasise emphasize "
    "reiterate predict promise pledge threaten write report reply recall complain caution "
    "observe remark comment tweet assure testify disclose reveal boast lament accuse "
    "condemn reject dismiss denounce refute criticise criticize decry deplore "
    "praise welcome hail endorse applaud commend"
)
# Beliefs, intentions, judgements and speech acts that PolNeAR (like PARC) counts as
# attribution: "X believes / wants / plans / called Y a liar / cited Z". They report their
# object, a clause or a noun phrase ("called the charges unsubstantiated"). Rule "verbs".
# (Verbs right less than half the time on PolNeAR train, such as "back", "feel", "project",
# "outline", "request", are left out.)
MORE_VERBS = words(
    "call ask describe show find cite urge believe think know want plan hope expect "
    "estimate indicate decline respond demand propose support oppose defend fear doubt "
    "worry recommend accuse blame charge mention signal highlight conclude "
    "decide intend seek mock slam attack blast question invoke identify joke echo "
    "portray favor favour learn answer challenge prefer agree refuse push see offer consider "
    "order view tout remind deem recognize remember share retweet repeat thank ignore "
    "feel back"
)
# Rule "extra": more cues of the same kinds, each kept for being right at least half the time
# on PolNeAR train (bench/suggest_misses.py --by-cue). ("discuss", right 95% of the time
# there, is left out: the seed article's hand annotation does not count "Russia discusses
# ‘dangerous’ escalation".)
EXTRA_VERBS = words(
    "express continue slam assail shout chant wonder reference imply list post "
    "email request sound yell scream compare label dub insult lambaste scold taunt champion "
    "lobby press reaffirm affirm counter retort quip muse speculate guess opine posit "
    "forecast envision imagine anticipate assume suspect insinuate congratulate advise "
    "inform persuade convince encourage implore plead guarantee swear confess grant "
    "disagree dispute contradict debate rebut rebuff disavow bemoan regret protest object "
    "rant fume credit characterize characterise frame term nickname quote recount relate "
    "detail elaborate clarify specify summarize underscore proclaim wish desire aim regard "
    "judge suppose presume realize realise understand confess verify attest certify rule "
    "applaud tease vouch acknowledge criticize lash decry shrug chide fault lament address "
    "embrace introduce name release issue promote nominate"
)
_IRREGULAR = {
    "say": ("says", "said", "saying"),
    "tell": ("tells", "told", "telling"),
    "write": ("writes", "wrote", "writing"),
    "think": ("thinks", "thought", "thinking"),
    "know": ("knows", "knew", "knowing"),
    "find": ("finds", "found", "finding"),
    "seek": ("seeks", "sought", "seeking"),
    "see": ("sees", "saw", "seeing"),
    "feel": ("feels", "felt", "feeling"),
    "swear": ("swears", "swore", "swearing"),
    "understand": ("understands", "understood", "understanding"),
}
_DOUBLING = words("admit plan prefer slam quip rebut regret dub")  # admit -> admitted
# A 3rd-person -s form that is often a plural noun ("member states said", "rejected claims").
NOUN_LIKE_S = words("states claims notes reports warns comments stresses remarks")


def _inflect(base: str) -> tuple[str, str, str]:
    """(3rd person -s, past, -ing) of a regular verb."""
    if base in _IRREGULAR:
        return _IRREGULAR[base]
    if base.endswith(("s", "sh", "ch", "x", "z")):
        third = base + "es"
    elif base.endswith("y") and base[-2] not in "aeiou":
        third = base[:-1] + "ies"
    else:
        third = base + "s"
    if base in _DOUBLING:
        past, ing = base + base[-1] + "ed", base + base[-1] + "ing"
    elif base.endswith("e"):
        past, ing = base + "d", base[:-1] + "ing"
    elif base.endswith("y") and base[-2] not in "aeiou":
        past, ing = base[:-1] + "ied", base + "ing"
    else:
        past, ing = base + "ed", base + "ing"
    return third, past, ing


FORMS: dict[str, tuple[str, str]] = {}  # word -> (lemma, form): base, s, past, ing
for _base in sorted(_VERBS | MORE_VERBS | EXTRA_VERBS):
    _third, _past, _ing = _inflect(_base)
    for _word, _form in ((_base, "base"), (_third, "s"), (_past, "past"), (_ing, "ing")):
        FORMS.setdefault(_word, (_base, _form))

# Fixed phrases, tried before single words; the whole phrase is the cue span.
_PHRASES = [
    (r"quoted(?:\s+[\w’'-]+){0,3}?\s+as\s+saying", "say", "phrase"),
    (r"[Aa]ccording\s+to", "according to", "phrase"),
    (r"(?:said|says)\s+in\s+an?\s+(?:statement|interview|speech|post|briefing)", "say", "past"),
    (r"(?:told|tells)\s+(?:reporters|journalists|the\s+press)", "tell", "past"),
    (r"(?:pointed|points)\s+out", "point out", "past"),
    # Rule "verbs": a verb and its particle, the object after it.
    (r"(?:call(?:s|ed|ing)?)\s+(?:for|on)", "call for", "past"),
    (r"(?:point(?:s|ed|ing)?)\s+to", "point to", "past"),
    (r"(?:rail(?:s|ed|ing)?)\s+against", "rail against", "past"),
    (r"(?:refer(?:s|red|ring)?)\s+to", "refer to", "past"),
    (r"(?:talk(?:s|ed|ing)?)\s+about", "talk about", "past"),
    (r"(?:advocat(?:es?|ed|ing))\s+for", "advocate for", "past"),
    # Rule "extra": more of them.
    (r"(?:focus(?:es|ed|ing)?)\s+on", "focus on", "past"),
    (r"(?:vot(?:es?|ed|ing))\s+(?:for|against)", "vote for", "past"),
    (
        r"(?:spo(?:ke|ken)|speak(?:s|ing)?)\s+(?:about|of|out\s+(?:against|for))",
        "speak about",
        "past",
    ),
    (r"(?:weigh(?:s|ed|ing)?)\s+in\s+on", "weigh in on", "past"),
    (r"(?:la(?:y|ys|id|ying))\s+out", "lay out", "past"),
    (r"(?:(?:go|goes|went|going)\s+after)", "go after", "past"),
    (r"(?:shrug(?:s|ged|ging)?)\s+off", "shrug off", "past"),
    (r"(?:tak(?:es?|ing)|took|taken)\s+aim\s+at", "take aim at", "past"),
    (r"(?:ma(?:de|kes?|king))\s+(?:it\s+)?clear", "make clear", "past"),
    (r"(?:look(?:s|ed|ing)?)\s+(?:for|forward\s+to)", "look for", "past"),
    (r"(?:complain(?:s|ed|ing)?)\s+about", "complain about", "past"),
    (r"(?:apologi[sz](?:es?|ed|ing))\s+for", "apologize for", "past"),
    (
        r"(?:distanc(?:es?|ed|ing))\s+(?:him|her|them|it)(?:self|selves)\s+from",
        "distance from",
        "past",
    ),
]
MORE_PHRASES = frozenset(["call for", "point to", "rail against", "refer to", "talk about",
                          "advocate for"])  # fmt: skip
EXTRA_PHRASES = frozenset(["focus on", "vote for", "speak about", "weigh in on", "lay out",
                           "go after", "shrug off", "take aim at", "make clear", "look for",
                           "complain about", "apologize for", "distance from"])  # fmt: skip
# Rule "verbs": what these report is their object, a clause or a noun phrase.
OBJECT_VERBS = (
    MORE_VERBS
    | MORE_PHRASES
    | words("note acknowledge confirm reveal explain admit predict promise concede recall")
    | EXTRA_VERBS
    | EXTRA_PHRASES
)
MORE_LEMMAS = (MORE_VERBS - _VERBS) | MORE_PHRASES  # the cues only rule "verbs" uses
EXTRA_LEMMAS = (EXTRA_VERBS - _VERBS - MORE_VERBS) | EXTRA_PHRASES  # only rule "extra" uses
OBJECT_LEMMAS = MORE_LEMMAS | EXTRA_LEMMAS  # cues of beliefs and objects, not speech


def _trie(words: list[str]) -> str:
    """One regex for many words, sharing prefixes ("sa(?:id|ys|y)"): Python's re tries an
    alternation's branches one by one, so a prefix tree is several times faster."""
    tree: dict = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return pattern(tree)


_EDGE_L, _EDGE_R = r"(?<![\w'’-])", r"(?![\w'’-])"
_CUE_RE = re.compile(
    _EDGE_L
    + "(?:"
    + "|".join(f"(?P<p{i}>{p})" for i, (p, _, _) in enumerate(_PHRASES))
    + "|(?P<word>"
    + _trie(list(FORMS))
    + "))"
    + _EDGE_R
)


@dataclass(frozen=True, slots=True)
class Cue:
    span: Span
    lemma: str
    form: str  # "base", "s", "past", "ing" or "phrase"
    text: str

    @property
    def stance(self) -> str | None:
        if self.lemma in HOSTILE:
            return "oppose"
        if self.lemma in SUPPORTIVE:
            return "support"
        return None


def find_cues(text: str, start: int, end: int) -> list[Cue]:
    """Candidate cues in ``text[start:end]``, left to right, longest phrase first."""
    cues = []
    for m in _CUE_RE.finditer(text, start, end):
        if m.group("word"):
            lemma, form = FORMS[m.group("word")]
        else:
            i = next(int(k[1:]) for k, v in m.groupdict().items() if v and k != "word")
            _, lemma, form = _PHRASES[i]
            if lemma in MORE_PHRASES | EXTRA_PHRASES:  # "calling for", "calls for", "call for"
                verb = m.group().split()[0]
                ing, third = verb.endswith("ing"), verb.endswith("s") and verb != "was"
                form = "ing" if ing else "s" if third else "past" if verb[-1] == "d" else "base"
        cues.append(Cue(Span(m.start(), m.end()), lemma, form, m.group()))
    return cues


# Rule "open": after a verb of saying with its speaker ("Trump said he'd welcome it", "Forbes
# said her $4.5 billion fortune was gone", "Sanders said yes"), whatever follows is what was
# said, though no finite verb shows it is a clause; but not a prepositional phrase.
OPEN_VERBS = words("say tell add write insist argue claim explain declare assert")

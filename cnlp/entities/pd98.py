"""People's Daily (PD98) as NER training data next to MSRA.

The two corpora annotate organizations differently: PD98 (without compound brackets) tags only
one-word organizations ``nt``; a name such as 北京大学 is ``北京/ns 大学/n``, which a plain
conversion turns into the place 北京, while MSRA marks the whole 北京大学 as ``ORG``. Likewise PD98
tags 中美 as one abbreviation ``j`` where MSRA marks 中 and 美 as places. Modes:

* ``plain``: :func:`cnlp.entities.data.pd98_entities` on every sentence;
* ``careful``: as plain, then (a) a run of words that starts with a name (``ns nz j nr``),
  continues with nouns and ends with a noun (not itself ``nt``) ending in an organization suffix learned from the
  reference corpus (suffixes that end an ``ORG`` at least ``SUFFIX_SHARE`` of the times they occur
  there, e.g. 大学 公司 委员会) becomes one ``ORG``; (b) a ``j`` word whose every character is, in the
  reference corpus, a one-character place at least ``ABBREV_SHARE`` of its occurrences (中 美 日)
  becomes one place per character.
"""
from __future__ import annotations

from collections import Counter

from .data import pd98_entities

__all__ = ["convert_pd98", "MODES", "org_suffixes", "place_abbreviations"]

MODES = ("plain", "careful")
#: a suffix of length 1-3 counts as an organization suffix when it ends an ORG in the reference
#: corpus at least this share of its occurrences, and at least SUFFIX_MIN times
SUFFIX_SHARE, SUFFIX_MIN = 0.5, 5
#: a character counts as a place abbreviation when it is a one-character LOC this share of its
#: occurrences in the reference corpus, and at least ABBREV_MIN times
ABBREV_SHARE, ABBREV_MIN = 0.02, 10
_NAME_TAGS = frozenset({"ns", "nz", "j", "nr"})
_INNER_TAGS = frozenset({"ns", "nz", "j", "nr", "n", "vn", "b", "an", "f", "m", "q", "Ng"})


def org_suffixes(reference) -> set[str]:
    """Organization suffixes (1-3 characters) of ``(text, spans)`` reference sentences."""
    ends: Counter = Counter()
    for text, spans in reference:
        for s, e, t in spans:
            if t == "ORG":
                for k in (1, 2, 3):
                    if e - s > k:
                        ends[text[e - k:e]] += 1
    seen: Counter = Counter()
    cands = {x for x, c in ends.items() if c >= SUFFIX_MIN}
    for text, _ in reference:
        for k in (1, 2, 3):
            for i in range(len(text) - k + 1):
                x = text[i:i + k]
                if x in cands:
                    seen[x] += 1
    return {x for x in cands if ends[x] >= SUFFIX_SHARE * seen[x]}


def place_abbreviations(reference) -> set[str]:
    """Characters that are one-character places in ``(text, spans)`` reference sentences."""
    single: Counter = Counter()
    total: Counter = Counter()
    for text, spans in reference:
        total.update(text)
        for s, e, t in spans:
            if t == "LOC" and e - s == 1:
                single[text[s]] += 1
    return {c for c, n in single.items() if n >= ABBREV_MIN and n >= ABBREV_SHARE * total[c]}


def _careful(pairs, suffixes, abbrev):
    text, spans = pd98_entities(pairs)
    starts, pos = [], 0
    for w, _ in pairs:
        starts.append(pos)
        pos += len(w)
    orgs = []
    j = 0
    n = len(pairs)
    while j < n:
        w, t = pairs[j]
        if t in ("n", "nz", "j") and any(w.endswith(x) for x in suffixes if len(x) <= len(w)) and j > 0:
            i = j
            while i > 0 and pairs[i - 1][1] in _INNER_TAGS:
                i -= 1
            while i < j and pairs[i][1] not in _NAME_TAGS:         # start at the first name
                i += 1
            if i < j:
                orgs.append((starts[i], starts[j] + len(w)))
        j += 1
    for a, b in orgs:
        spans = [sp for sp in spans if sp[1] <= a or sp[0] >= b] + [(a, b, "ORG")]
    for (w, t), s in zip(pairs, starts):
        if t == "j" and len(w) > 1 and all(c in abbrev for c in w) and \
                not any(a < s + len(w) and s < b for a, b, _ in spans):
            spans += [(s + k, s + k + 1, "LOC") for k in range(len(w))]
    return text, sorted(spans)


def convert_pd98(sents, *, mode: str = "plain", reference=()):
    """``(text, spans)`` of PD98 sentences (``[(word, tag)]``, compounds merged); ``careful`` mode
    learns its suffixes and abbreviations from ``reference`` ``(text, spans)`` sentences."""
    if mode not in MODES:
        raise ValueError(f"unknown PD98 mode {mode!r}; choose one of {list(MODES)}")
    if mode == "plain":
        return [pd98_entities(s) for s in sents]
    reference = list(reference)
    suffixes, abbrev = org_suffixes(reference), place_abbreviations(reference)
    return [_careful(s, suffixes, abbrev) for s in sents]

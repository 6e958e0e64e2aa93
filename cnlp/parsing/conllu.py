"""Universal Dependencies data: a validating CoNLL-U reader, a writer, and projectivization.

:func:`read_ud` extends :func:`cnlp.corpus.readers.read_conllu` with the checks a parser needs
(IDs 1..n in order, heads inside the sentence, a non-empty form) and keeps the comment lines;
every problem raises :class:`cnlp.errors.CorpusFormatError` naming the file and the line.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Iterable, Iterator, TextIO

from ..corpus.readers import conllu_blocks, cycle_reason, find_cycle, iter_lines
from ..errors import CorpusFormatError

__all__ = ["UDSentence", "read_ud", "read_ud_stream", "format_ud", "is_projective", "projectivize",
           "UD_FILES"]

#: the training treebanks of the shipped UD models (files of ``$CNLP_CORPORA/ud_chinese``)
UD_FILES = ("zh_beginner-ud-test.conllu", "zh_cfl-ud-test.conllu", "zh_pud-ud-test.simp.conllu",
            "zh_hk-ud-test.simp.conllu")
#: the development treebank every choice is made on
UD_DEV = "zh_gsdsimp-ud-dev.conllu"


@dataclass
class UDSentence:
    """One CoNLL-U sentence: word columns as parallel lists (multiword / empty-node lines skipped)."""
    forms: list[str]
    upos: list[str] = field(default_factory=list)
    xpos: list[str] = field(default_factory=list)
    heads: list[int | None] = field(default_factory=list)
    deprels: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    treebank: str = ""

    def __len__(self) -> int:
        return len(self.forms)

    @property
    def text(self) -> str:
        for c in self.comments:
            if c.startswith("# text = "):
                return c[len("# text = "):]
        return "".join(self.forms)


def read_ud(path, *, need_heads: bool = True, treebank: str | None = None) -> list[UDSentence]:
    """All sentences of a CoNLL-U file (see :func:`read_ud_stream`)."""
    name = os.fspath(path)
    tb = treebank if treebank is not None else os.path.basename(name).split("-")[0]
    return list(read_ud_stream(iter_lines(name), name, need_heads=need_heads, treebank=tb))


def read_ud_stream(lines: Iterable[tuple[int, str]], name: str, *, need_heads: bool = True,
                   treebank: str = "") -> Iterator[UDSentence]:
    """Sentences from ``(lineno, line)`` pairs. Checks: 10 tab-separated columns, integer IDs
    1..n in order, a non-empty FORM, and (``need_heads``) an integer HEAD in 0..n for every word
    (else HEAD may also be ``_``), HEADs that form no cycle. Raises :class:`CorpusFormatError` with ``name`` and the line."""
    for comments, rows in conllu_blocks(lines, name):
        sent = UDSentence([], treebank=treebank)
        sent.comments.extend(comments)
        for lineno, line, cols in rows:
            try:
                tid = int(cols[0])
            except ValueError:
                raise CorpusFormatError(name, lineno, f"ID {cols[0]!r} is not an integer", line) from None
            if tid != len(sent) + 1:
                raise CorpusFormatError(name, lineno, f"ID {tid} out of order (expected {len(sent) + 1})", line)
            if not cols[1]:
                raise CorpusFormatError(name, lineno, "empty FORM", line)
            if cols[6] == "_" and not need_heads:
                head = None
            else:
                try:
                    head = int(cols[6])
                except ValueError:
                    raise CorpusFormatError(name, lineno, f"HEAD {cols[6]!r} is not an integer", line) from None
                if head == tid:
                    raise CorpusFormatError(name, lineno, "a word cannot be its own head", line)
            sent.forms.append(cols[1])
            sent.upos.append(cols[3])
            sent.xpos.append(cols[4])
            sent.heads.append(head)
            sent.deprels.append(cols[7])
        n = len(sent)
        for (lineno, line, _), h in zip(rows, sent.heads):
            if h is not None and not 0 <= h <= n:
                raise CorpusFormatError(name, lineno, f"HEAD {h} outside 0..{n}", line)
        cycle = find_cycle(sent.heads)
        if cycle:                                   # named at the line of its smallest ID
            lineno, line, _ = rows[cycle[0] - 1]
            raise CorpusFormatError(name, lineno, cycle_reason(cycle), line)
        yield sent


def format_ud(s: UDSentence) -> str:
    """One sentence as CoNLL-U text (LEMMA = FORM, FEATS / DEPS / MISC ``_``), ending in a blank line."""
    lines = list(s.comments)
    for i, w in enumerate(s.forms):
        cols = [str(i + 1), w, w, s.upos[i] if s.upos else "_", s.xpos[i] if s.xpos else "_", "_",
                "_" if not s.heads or s.heads[i] is None else str(s.heads[i]),
                s.deprels[i] if s.deprels else "_", "_", "_"]
        lines.append("\t".join(c.replace("\t", " ").replace("\n", " ") or "_" for c in cols))
    return "\n".join(lines) + "\n\n"


def write_ud(sents: Iterable[UDSentence], out: TextIO) -> int:
    n = 0
    for s in sents:
        out.write(format_ud(s))
        n += 1
    return n


# ------------------------------------------------------------------------------ projectivity
def _dominates(heads: list[int], h: int, d: int) -> bool:
    """Whether ``h`` is an ancestor of ``d`` (1-based words, 0 = root; heads[0] unused)."""
    seen = 0
    while d != 0 and seen <= len(heads):
        d = heads[d]
        if d == h:
            return True
        seen += 1
    return h == 0


def _nonprojective_arcs(heads: list[int]) -> list[int]:
    """Dependents whose arc is non-projective (a word strictly between head and dependent that the
    head does not dominate); ``heads`` has a dummy entry 0."""
    bad = []
    for d in range(1, len(heads)):
        h = heads[d]
        lo, hi = (h, d) if h < d else (d, h)
        if any(not _dominates(heads, h, k) for k in range(lo + 1, hi)):
            bad.append(d)
    return bad


def is_projective(heads: Iterable[int]) -> bool:
    """Whether the tree given by 1-based ``heads`` (0 = root) is projective."""
    return not _nonprojective_arcs([0, *heads])


def projectivize(heads: Iterable[int]) -> tuple[list[int], int]:
    """Lift non-projective arcs (the shortest first) to the head's head until the tree is projective
    (Nivre & Nilsson 2005, without label encoding). Returns (new heads, number of lifted arcs)."""
    h = [0, *heads]
    lifted = 0
    while True:
        bad = _nonprojective_arcs(h)
        if not bad:
            return h[1:], lifted
        d = min(bad, key=lambda x: abs(h[x] - x))
        h[d] = h[h[d]] if h[d] != 0 else 0
        lifted += 1

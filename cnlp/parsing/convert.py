"""UD Chinese GSD as released in UD 1.4 (traditional characters, UD v1) -> today's GSDSimp style.

:func:`convert_rows` rewrites one sentence (CoNLL-U rows of 10 columns) in three groups of rules:

* ``"v2"``: the documented UD v1 -> v2 changes: relation renames (``dobj`` -> ``obj``,
  ``nsubjpass`` -> ``nsubj:pass``, ``csubjpass`` -> ``csubj:pass``, ``auxpass`` -> ``aux:pass``,
  ``mwe`` -> ``fixed``, ``name`` -> ``flat:name``, ``foreign`` -> ``flat:foreign``), ``neg`` ->
  ``advmod`` with ``Polarity=Neg``, ``CONJ`` -> ``CCONJ``, ``nmod`` of a predicate -> ``obl``,
  ``cc`` and the punctuation between conjuncts attached to the following conjunct;
  characters to simplified (the t2s table of :mod:`cnlp.text`, one character at a time, plus a
  few word-level exceptions that a character table cannot decide: 著 as an aspect marker,
  瞭解, 乾 in 乾燥 ...) and ASCII sentence punctuation to the full-width forms of GSDSimp.
* ``"gsd"``: the GSD conventions that changed between 1.4 and GSD 2.x, found by training a parser
  on the converted file alone and reading its confusions on GSDSimp dev (docs/parser.md):
  the GSD-specific ``case:*`` relations, 的 of relative clauses (``mark:rel``, SCONJ), aspect
  markers and copulas as AUX, sentence-final particles (``UH``) as PART, 地 / 的 after an adverbial as its ``mark:adv``, 得 as ``compound:ext`` of the verb, two-part names as ``flat:name``, classifiers attached to the numeral (``clf``), 把 / 将 as the
  case marker of their object (``obl:patient``), postpositions as ``case``, clausal ``acl`` of a
  predicate as ``advcl``, ``dep`` between clauses as ``advcl`` (before its head) or ``parataxis``
  (after it), nouns as ``advmod`` of a predicate as ``obl``, adverbs that are ``mark`` as SCONJ, and
  clause punctuation (，；：) attached to the phrase before it rather than to the clause after it.
* ``"clauses"``: structure: clauses side by side (``X ， Y``) are headed by the first clause that
  has its own subject, the later clauses with a subject being its ``parataxis`` (GSD 1.4 heads
  them by the last clause), see :func:`_head_first_clause`; apposition is head-first; a split-off
  suffix modifying a noun is ``nmod``.

The command line is ``scripts/convert_ud14.py``; ``rules`` selects the groups, so that each group's
effect can be measured.
"""
from __future__ import annotations

import json
from typing import Iterable, Iterator

from ..corpus.readers import conllu_blocks, iter_lines

__all__ = ["RULE_GROUPS", "convert_rows", "convert_file", "to_simplified"]

RULE_GROUPS = ("v2", "gsd", "clauses")

V1_RENAMES = {"dobj": "obj", "nsubjpass": "nsubj:pass", "csubjpass": "csubj:pass", "auxpass": "aux:pass",
              "mwe": "fixed", "name": "flat:name", "foreign": "flat:foreign"}
PUNCT_WIDTH = {",": "，", ".": "。", "(": "（", ")": "）", ":": "：", ";": "；", "?": "？", "!": "！",
               "「": "“", "」": "”", "『": "『", "』": "』", "``": "“", "''": "”"}
#: words whose simplified form a character table cannot give (著 stays 著 in 著名, 顯著 ...)
WORD_EXCEPTIONS = {"著": "着", "隨著": "随着", "接著": "接着", "沿著": "沿着", "本著": "本着", "意味著": "意味着",
                   "朝著": "朝着", "藉著": "借着", "為著": "为着", "靠著": "靠着", "跟著": "跟着", "帶著": "带着",
                   "看著": "看着", "對著": "对着", "向著": "向着", "有著": "有着", "緊接著": "紧接着",
                   "瞭解": "了解", "乾燥": "干燥", "乾淨": "干净", "乾旱": "干旱", "餅乾": "饼干", "乾": "干"}
PREDICATES = {"VERB", "ADJ", "AUX"}
COORD_PUNCT = {"、", "，", "；", "/"}
CLAUSE_PUNCT = {"，", "；", "："}
NAME_DOTS = {"·", "‧", "・"}
_T2S: dict[str, str] | None = None


def _table() -> dict[str, str]:
    global _T2S
    if _T2S is None:
        from ..text import _load_fold_table, _t2s_path   # validates the file (sha256 of the pairs)
        _load_fold_table()
        pairs = json.loads(_t2s_path().read_text("utf-8"))["pairs"]
        _T2S = dict(zip(pairs[0::2], pairs[1::2]))
    return _T2S


def to_simplified(word: str) -> str:
    """``word`` in simplified characters: :data:`WORD_EXCEPTIONS`, else character by character."""
    if word in WORD_EXCEPTIONS:
        return WORD_EXCEPTIONS[word]
    t = _table()
    return "".join(t.get(c, c) for c in word)


def _add_feat(feats: str, feat: str) -> str:
    fs = set() if feats == "_" else set(feats.split("|"))
    fs.add(feat)
    return "|".join(sorted(fs, key=str.lower))


def _spans_cross(head: list[int], a: int, b: int, moving: int) -> bool:
    """Whether a new arc between ``a`` < ``b`` (0-based) would cross an arc of ``head`` (1-based)
    other than the current arc of ``moving`` (the word that gets the new head)."""
    for k, hk in enumerate(head):
        if k == moving or not hk:
            continue
        lo, hi = sorted((k, hk - 1))
        if (lo < a < hi < b) or (a < lo < b < hi):
            return True
    return False


SUBJECTS = ("nsubj", "nsubj:pass", "csubj", "csubj:pass")


def _head_first_clause(form: list[str], head: list[int], rel: list[str]) -> None:
    """Clauses side by side: GSD 1.4 heads ``X1 ， X2 ， Y`` by the last clause ``Y`` (the others
    its ``advcl`` or ``dep``); GSD 2.x heads it by the first clause with its own subject, and the
    later clauses with a subject are its ``parataxis`` (flat, not chained), while a clause without
    a subject stays an ``advcl``. Changes ``head`` and ``rel`` in place.

    The first clause ``X`` with a subject takes ``Y``'s head and relation; ``Y`` and the later
    clauses with a subject become ``parataxis`` of ``X``; ``Y``'s dependents before ``X`` and its
    sentence-final punctuation move to ``X``; the clause punctuation just before each ``parataxis``
    clause attaches to it (punctuation attaches to the dependent clause).
    """
    n = len(head)

    def span(x: int, stop: int) -> tuple[int, int]:
        """x's subtree span, without x's own clause punctuation between x and ``stop``"""
        own = {k for k in range(x + 1, stop) if head[k] == x + 1 and form[k] in CLAUSE_PUNCT}
        lo = hi = x
        for k in range(n):
            a = k
            while head[a] and a != x and a not in own:
                a = head[a] - 1
            if a == x and k not in own:
                lo, hi = min(lo, k), max(hi, k)
        return lo, hi

    def has_subject(x: int) -> bool:
        return any(head[k] == x + 1 and rel[k] in SUBJECTS for k in range(n))

    for y in range(n):
        clauses = [x for x in range(y) if head[x] == y + 1 and rel[x] in ("advcl", "dep")]
        first = next((x for x in clauses if has_subject(x)), None)
        if first is None:
            continue
        lo, hi = span(first, y)
        if not any(form[k] in CLAUSE_PUNCT for k in range(hi + 1, y)):
            continue
        later = [x for x in clauses if x > first and has_subject(x)] + [y]
        spans = {x: span(x, y) for x in later[:-1]}
        head[first], rel[first] = head[y], rel[y]
        for k in range(lo):
            if head[k] == y + 1:
                head[k] = first + 1
        prev_end = hi
        for x in later:
            start = spans[x][0] if x in spans else min([x] + [k for k in range(prev_end + 1, x)
                                                               if head[k] == y + 1 and form[k] not in CLAUSE_PUNCT])
            head[x], rel[x] = first + 1, "parataxis"
            if x != y:                 # y's words just before a later clause (但, a time phrase) go with it
                for k in range(prev_end + 1, start):
                    if head[k] == y + 1 and form[k] not in CLAUSE_PUNCT:
                        head[k] = x + 1
            commas = [k for k in range(prev_end + 1, start) if form[k] in CLAUSE_PUNCT]
            if commas and not _spans_cross(head, commas[-1], x, commas[-1]):
                head[commas[-1]] = x + 1
            prev_end = spans[x][1] if x in spans else x
        # the sentence-final punctuation stays with the head of the sentence
        end = n
        while end and rel[end - 1] == "punct":
            end -= 1
        for k in range(end, n):
            if head[k] == y + 1 and not _spans_cross(head, first, k, k):
                head[k] = first + 1


def convert_rows(rows: list[list[str]], rules: Iterable[str] = RULE_GROUPS) -> list[list[str]]:
    """One sentence: ``rows`` of 10 CoNLL-U columns (strings) -> new rows (the input is not changed)."""
    rules = set(rules)
    unknown = rules - set(RULE_GROUPS)
    if unknown:
        raise ValueError(f"unknown rule groups {sorted(unknown)}; expected some of {RULE_GROUPS}")
    rows = [list(r) for r in rows]
    n = len(rows)
    form = [r[1] for r in rows]
    up = [r[3] for r in rows]
    xp = [r[4] for r in rows]
    head = [int(r[6]) for r in rows]
    rel = [r[7] for r in rows]
    feats = [r[5] for r in rows]

    def kids(i):
        return [k for k in range(n) if head[k] == i + 1]

    def hupos(i):
        return up[head[i] - 1] if head[i] else "ROOT"

    if "v2" in rules:
        for i in range(n):
            if rel[i] in V1_RENAMES:
                rel[i] = V1_RENAMES[rel[i]]
            elif rel[i] == "neg":
                rel[i] = "advmod"
                feats[i] = _add_feat(feats[i], "Polarity=Neg")
            if up[i] == "CONJ":
                up[i] = "CCONJ"
            if up[i] == "PUNCT" and form[i] in PUNCT_WIDTH:
                form[i] = PUNCT_WIDTH[form[i]]
            form[i] = to_simplified(form[i])
        # coordination: cc and the punctuation between two conjuncts attach to the following conjunct
        for i in range(n):
            if not head[i] or head[i] - 1 >= i or not (rel[i] == "cc" or (rel[i] == "punct" and form[i] in COORD_PUNCT)):
                continue
            h = head[i] - 1
            nxt = [k for k in kids(h) if rel[k] == "conj" and k > i]
            if nxt:
                head[i] = min(nxt) + 1
    if "gsd" in rules:
        for i in range(n):
            r, w = rel[i], form[i]
            if r == "case:suff":
                rel[i] = "compound"
            elif r == "case:pref":
                rel[i] = "case"
            elif r == "case:dec":
                rel[i] = "case"
            elif r == "case:aspect":
                rel[i], up[i] = "aux", "AUX"
            elif xp[i] == "DEC" and r in ("acl:relcl", "amod", "csubj", "acl"):
                rel[i], up[i] = "mark:rel", "SCONJ"
            if rel[i] == "cop" and xp[i] == "VC":
                up[i] = "AUX"
            if rel[i] == "aux:pass" and xp[i] == "BB":
                up[i] = "AUX"
            if rel[i] == "mark" and up[i] == "ADV":
                up[i] = "SCONJ"
            if xp[i] == "UH" and up[i] == "X":       # sentence-final particles (的, 了, 呢 ...)
                up[i] = "PART"
            if form[i] in ("/", "／") and up[i] == "SYM" and rel[i] == "punct":
                up[i] = "PUNCT"
            if up[i] == "ADP" and head[i] and head[i] - 1 < i and rel[i] in ("acl", "det", "advmod", "nmod"):
                rel[i] = "case"
        # 地 / 的 after an adverbial (DEV): mark:adv of the adverbial, SCONJ (1.4: mark of the verb);
        # 得 before a complement: compound:ext of the verb before it (1.4: mark of the complement)
        for i in range(1, n):
            if xp[i] != "DEV" or rel[i] != "mark" or not head[i] or head[i] - 1 <= i:
                continue
            h = head[i] - 1
            if form[i] == "得":                     # V 得 C: 1.4 heads it by C (V its cop), 2.x by V (C xcomp)
                vs = [k for k in range(i) if head[k] == h + 1 and rel[k] == "cop"]
                if vs:
                    v = vs[-1]
                    for k in range(n):                 # the clause's words before V and markers after C
                        if head[k] == h + 1 and (k < v or (k > h and (rel[k].startswith("mark") or rel[k] == "punct"))):
                            head[k] = v + 1
                    head[v], rel[v] = head[h], rel[h]
                    head[h], rel[h] = v + 1, "xcomp"
                    head[i], rel[i] = v + 1, "compound:ext"
                continue
            a = i - 1
            while head[a] and head[a] - 1 < i and head[a] - 1 != h:
                a = head[a] - 1
            if head[a] - 1 == h:
                head[i], rel[i], up[i] = a + 1, "mark:adv", "SCONJ"
        for i in range(n):
            # 的-phrases: a noun with a 的 case marker modifies as nmod (GSD 1.4: det)
            if rel[i] == "det" and up[i] in ("NOUN", "PROPN") and any(
                    rel[k] == "case" and xp[k] == "DEC" for k in kids(i)):
                rel[i] = "nmod"
            if rel[i] == "acl" and hupos(i) in PREDICATES:
                rel[i] = "advcl"
        for i in range(n):
            if rel[i] == "dep" and up[i] in PREDICATES and hupos(i) in PREDICATES:
                rel[i] = "advcl" if head[i] - 1 > i else "parataxis"
            elif rel[i] == "advmod" and up[i] in ("NOUN", "PROPN") and hupos(i) in PREDICATES:
                rel[i] = "obl"
        # clause punctuation attaches to the phrase before it (1.4: to the clause after it), unless
        # that phrase is the root
        for i in range(n):
            if rel[i] != "punct" or form[i] not in CLAUSE_PUNCT or i == 0 or not head[i] or head[i] - 1 < i:
                continue
            a = i - 1
            while head[a] and head[a] - 1 < i:
                a = head[a] - 1
            if head[a] and a != i and not _spans_cross(head, a, i, i):
                head[i] = a + 1
        # names: PROPN (·) PROPN with the first an nmod of the second -> the second is flat:name of the first
        for i in range(n - 1):
            j = i + 2 if form[i + 1] in NAME_DOTS and i + 2 < n else i + 1
            if up[i] != "PROPN" or up[j] != "PROPN" or head[i] != j + 1 or rel[i] != "nmod":
                continue
            for c in kids(j):
                if c != i and not i < c < j:
                    head[c] = i + 1
            head[i], rel[i] = head[j], rel[j]
            head[j], rel[j] = i + 1, "flat:name"
        # classifiers: NUM NNB NOUN (NNB -> NOUN, NUM -> NNB) becomes NUM -> NOUN, NNB -> NUM (clf)
        for i in range(n):
            if xp[i] != "NNB" or not head[i] or head[i] - 1 <= i or rel[i] not in ("nmod", "det"):
                continue
            h = head[i] - 1
            if up[h] not in ("NOUN", "PROPN", "PART") or any(rel[k] == "case" for k in kids(i)):
                continue
            nums = [k for k in kids(i) if rel[k] == "nummod" and k < i]
            if nums:
                k = nums[-1]
                for c in kids(i):          # the classifier's other dependents move with the number
                    if c != k:
                        head[c] = k + 1
                head[k], rel[k] = h + 1, "nummod"
                head[i], rel[i] = k + 1, "clf"
            elif up[i] == "NOUN":
                rel[i] = "clf"
        # 把 / 将 (aux:caus of the verb) -> case of the object, which becomes obl:patient
        for i in range(n):
            if rel[i] != "aux:caus" or not head[i]:
                continue
            v = head[i] - 1
            objs = [k for k in kids(v) if rel[k] in ("obj", "dobj") and i < k < v]
            if objs:
                o = objs[0]
                head[i], rel[i], up[i] = o + 1, "case", "ADP"
                rel[o] = "obl:patient"
        for i in range(n):
            if rel[i] == "nmod" and hupos(i) in PREDICATES:
                rel[i] = "obl"
    elif "v2" in rules:
        for i in range(n):
            if rel[i] == "nmod" and hupos(i) in PREDICATES:
                rel[i] = "obl"
    if "clauses" in rules:
        _head_first_clause(form, head, rel)
        # apposition is head-first (GSD 1.4: a title before a name is the name's appos)
        for d in range(n):
            if rel[d] != "appos" or not head[d] or head[d] - 1 <= d:
                continue
            h = head[d] - 1
            for k in range(d):
                if head[k] == h + 1:
                    head[k] = d + 1
            head[d], rel[d] = head[h], rel[h]
            head[h], rel[h] = d + 1, "appos"
        # a split-off suffix (SFN) modifying a noun is nmod (GSD 1.4: det)
        for i in range(n):
            if rel[i] == "det" and up[i] == "PART" and xp[i] == "SFN":
                rel[i] = "nmod"
    for i, r in enumerate(rows):
        r[1], r[3], r[5], r[6], r[7] = form[i], up[i], feats[i], str(head[i]), rel[i]
        r[2] = to_simplified(r[2]) if r[2] != "_" and "v2" in rules else r[2]
    return rows


def _text_and_misc(rows: list[list[str]]) -> str:
    """The sentence text (no space between words except between two Latin/digit words) and MISC
    ``SpaceAfter=No`` where no space follows (set in ``rows``)."""
    parts = []
    for i, r in enumerate(rows):
        nxt = rows[i + 1][1] if i + 1 < len(rows) else None
        space = nxt is not None and r[1][-1].isascii() and r[1][-1].isalnum() and nxt[0].isascii() and nxt[0].isalnum()
        parts.append(r[1] + (" " if space else ""))
        if not space and nxt is not None:
            r[9] = "SpaceAfter=No" if r[9] == "_" else r[9] + "|SpaceAfter=No"
    return "".join(parts)


def convert_lines(lines: Iterable[tuple[int, str]], name: str, rules: Iterable[str] = RULE_GROUPS) -> Iterator[str]:
    """CoNLL-U text blocks (``# sent_id``, ``# text`` and the rows, then a blank line), one per sentence."""
    rules = tuple(rules)
    for no, (comments, rows) in enumerate(conllu_blocks(lines, name), 1):
        new = convert_rows([cols for _, _, cols in rows], rules)
        text = _text_and_misc(new)
        keep = [c for c in comments if not c.startswith(("# text", "# sent_id"))]
        yield "\n".join([f"# sent_id = train-s{no}", f"# text = {text}", *keep,
                         *("\t".join(r) for r in new)]) + "\n\n"


def convert_file(src, out, rules: Iterable[str] = RULE_GROUPS) -> int:
    """Convert the CoNLL-U file ``src`` into ``out`` (a writable text stream); returns the sentence count."""
    n = 0
    for block in convert_lines(iter_lines(src), str(src), rules):
        out.write(block)
        n += 1
    return n

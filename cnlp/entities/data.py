"""NER training data: the MSRA ``char<TAB>tag`` BIO format, and People's Daily converted to entities.

A sentence is ``(text, spans)`` with ``spans`` a sorted list of ``(start, end, type)`` character
offsets. :func:`read_bio` reads BIO (or BIOES) files; :func:`write_bio` writes them;
:func:`pd98_entities` converts a PD98 sentence: ``nr`` → ``PER`` (a surname followed by a given
name, both tagged ``nr``, become one person), ``ns`` → ``LOC``, ``nt`` → ``ORG``, and compound
brackets ``[…]nt`` → ``ORG``, ``[…]ns`` → ``LOC`` (read with ``compounds="merge"``).
"""
from __future__ import annotations

from typing import Iterable, Iterator

import os

from ..corpus.readers import iter_lines, read_tagged_chars
from ..errors import CorpusFormatError
from ..tagset import TagSet

__all__ = ["ENTITY_TYPES", "PD98_TYPES", "WEIBO_TYPES", "RESUME_TYPES", "CLUENER_TYPES", "read_bio", "write_bio",
           "bio_tags", "spans_of_tags", "pd98_entities", "format_bio", "format_entities", "read_weibo",
           "read_resume", "read_cluener", "map_types"]

#: the entity types of the shipped model (person, place, organization)
ENTITY_TYPES = ("PER", "LOC", "ORG")
#: PD98 tag -> entity type
PD98_TYPES = {"nr": "PER", "ns": "LOC", "nt": "ORG"}
#: Weibo NER type -> entity type (geo-political entities are places); nominal mentions (``.NOM``)
#: are read as the type ``NOM`` or dropped (:func:`read_weibo`)
WEIBO_TYPES = {"PER": "PER", "LOC": "LOC", "GPE": "LOC", "ORG": "ORG"}
#: Resume NER type -> entity type; its other types (CONT, RACE, TITLE, EDU, PRO) are not names
RESUME_TYPES = {"NAME": "PER", "ORG": "ORG", "LOC": "LOC"}
#: the ten fine types of CLUENER2020
CLUENER_TYPES = ("address", "book", "company", "game", "government", "movie", "name", "organization",
                 "position", "scene")


def spans_of_tags(tags: list[str]) -> list[tuple[int, int, str]]:
    """Entity spans of BIO / BIOES tags, read the way conlleval reads chunks: a span starts at
    ``B``/``S``, or at ``I``/``E`` after ``O`` or after another type; it ends before ``O``,
    ``B``, ``S`` or another type, and after ``E``/``S``.

    >>> spans_of_tags(["B-PER", "I-PER", "O", "I-LOC", "B-LOC", "S-ORG"])
    [(0, 2, 'PER'), (3, 4, 'LOC'), (4, 5, 'LOC'), (5, 6, 'ORG')]
    """
    types = sorted({t.split("-", 1)[1] for t in tags if t != "O"})
    if not types:
        return []
    ts = TagSet.bioes(types)
    return ts.decode_spans(ts.encode(tags))


def bio_tags(n: int, spans) -> list[str]:
    """BIO tags of ``n`` characters with entity ``spans`` (the MSRA format)."""
    tags = ["O"] * n
    for s, e, t in spans:
        tags[s] = "B-" + t
        for i in range(s + 1, e):
            tags[i] = "I-" + t
    return tags


def _check_tag(tag: str) -> bool:
    if tag == "O":
        return True
    p, dash, t = tag.partition("-")
    return bool(dash) and p in ("B", "I", "E", "S") and bool(t)


def read_bio(path) -> Iterator[tuple[str, list[tuple[int, int, str]]]]:
    """Yield ``(text, spans)`` per sentence of a ``char<TAB>tag`` file (blank line after each
    sentence; tags ``O``, ``B-T``, ``I-T`` and also ``E-T``, ``S-T``). The character is what comes
    before the last tab and must be one character. ``CorpusFormatError`` names file and line."""
    for chars, tags in read_tagged_chars(path, one_char=True, tag_ok=_check_tag,
                                         expected="one character, a tab and a tag (O, B-TYPE, I-TYPE, E-TYPE or S-TYPE)"):
        yield "".join(chars), spans_of_tags(tags)


def write_bio(sentences: Iterable[tuple[str, Iterable]], path) -> int:
    """Write ``(text, spans)`` sentences as ``char<TAB>BIO-tag`` lines, a blank line after each
    (including empty sentences, which are just the blank line). Returns the number written."""
    n = 0
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for text, spans in sentences:
            f.write(format_bio(text, spans))
            n += 1
    return n


def format_bio(text: str, spans) -> str:
    """One ``char<TAB>tag`` line per character of ``text``, then a blank line."""
    return "".join(f"{c}\t{t}\n" for c, t in zip(text, bio_tags(len(text), spans))) + "\n"


def format_entities(text: str, ents, fmt: str) -> str:
    """One output record of ``cnlp ner`` (with its final newline): ``bio`` one ``char<TAB>tag``
    line per character then a blank line; ``json`` a JSON list of entities; ``inline`` the text
    with ``[entity]/TYPE`` marks."""
    if fmt == "bio":
        return format_bio(text, [(e.start, e.end, e.type) for e in ents])
    if fmt == "json":
        from ..outputs import json_record
        return json_record([e.to_dict() for e in ents]) + "\n"
    parts, pos = [], 0
    for e in ents:
        parts.append(text[pos:e.start])
        parts.append(f"[{e.text}]/{e.type}")
        pos = e.end
    parts.append(text[pos:])
    return "".join(parts) + "\n"


def pd98_entities(pairs: list[tuple[str, str]], *, types: dict[str, str] | None = None):
    """``(text, spans)`` of a PD98 sentence (``[(word, tag)]``, compounds merged or not).

    ``nr`` words that follow each other merge into one person when the first is a surname of one
    or two characters and the second a given name of one or two characters (``江/nr 泽民/nr``).

    >>> pd98_entities([("江", "nr"), ("泽民", "nr"), ("在", "p"), ("北京", "ns")])
    ('江泽民在北京', [(0, 3, 'PER'), (4, 6, 'LOC')])
    """
    types = PD98_TYPES if types is None else types
    spans: list[tuple[int, int, str]] = []
    pos = 0
    prev_surname = False
    for word, tag in pairs:
        t = types.get(tag)
        end = pos + len(word)
        if t == "PER" and prev_surname and len(word) <= 2:
            s, _, _ = spans.pop()
            spans.append((s, end, "PER"))
            prev_surname = False
        elif t is not None:
            spans.append((pos, end, t))
            prev_surname = t == "PER" and len(word) <= 2
        else:
            prev_surname = False
        pos = end
    return "".join(w for w, _ in pairs), spans


def map_types(sentences, mapping: dict):
    """``(text, spans)`` with each span's type replaced by ``mapping[type]``; spans of types not in
    ``mapping`` (or mapped to None) are dropped."""
    out = []
    for text, spans in sentences:
        out.append((text, [(s, e, mapping[t]) for s, e, t in spans if mapping.get(t)]))
    return out


def _weibo_tag_ok(tag: str) -> bool:
    if tag == "O":
        return True
    p, dash, rest = tag.partition("-")
    t, dot, kind = rest.partition(".")
    return p in ("B", "I") and bool(t) and dot == "." and kind in ("NAM", "NOM")


def read_weibo(path, *, nominal: str = "drop", types: dict | None = None):
    """Yield ``(text, spans)`` per sentence of a Weibo NER file (Peng and Dredze 2015):
    ``char<TAB>tag`` lines whose character carries a trailing segmentation digit (``科0``, or more
    digits: ``p10``), tags
    ``B-/I-`` + ``PER/LOC/GPE/ORG`` + ``.NAM`` (a name) or ``.NOM`` (a nominal mention).

    Names get their type through ``types`` (default :data:`WEIBO_TYPES`: ``GPE`` → ``LOC``);
    nominal mentions are dropped (``nominal="drop"``: not names) or read as the type ``NOM``
    (``"type"``). ``CorpusFormatError`` names file and line of a malformed one."""
    if nominal not in ("drop", "type"):
        raise ValueError(f"nominal must be 'drop' or 'type', got {nominal!r}")
    types = WEIBO_TYPES if types is None else types
    name = os.fspath(path)
    expected = "a character with its segmentation digit, a tab and a tag (O, B-TYPE.NAM, I-TYPE.NOM, ...)"
    for toks, tags in read_tagged_chars(name, tag_ok=_weibo_tag_ok, token_ok=_weibo_token_ok, expected=expected):
        chars, plain = [], []
        for ch, tag in zip(toks, tags):
            # a token of several characters (a character the release split in two U+FFFD) keeps its
            # tag on the first and continues it on the others
            for k, c in enumerate(_weibo_token(ch)):
                chars.append(c)
                plain.append(tag if k == 0 or tag == "O" else "I" + tag[1:])
        yield _weibo_sentence(chars, plain, nominal, types)


def _weibo_token(ch: str) -> str:
    """The character(s) of a Weibo NER token without its trailing segmentation digits."""
    return ch[:1] + ch[1:].rstrip("0123456789")


def _weibo_token_ok(ch: str) -> bool:
    return len(ch) >= 2 and len(_weibo_token(ch)) < len(ch)


def _weibo_sentence(chars, tags, nominal, types):
    plain = []
    for t in tags:
        if t == "O":
            plain.append(t)
            continue
        base, _, kind = t.partition(".")
        p, _, ty = base.partition("-")
        if kind == "NOM":
            plain.append(f"{p}-NOM" if nominal == "type" else "O")
        else:
            mapped = types.get(ty)
            plain.append(f"{p}-{mapped}" if mapped else "O")
    return "".join(chars), spans_of_tags(plain)


def _bmes_tag_ok(tag: str) -> bool:
    if tag == "O":
        return True
    p, dash, t = tag.partition("-")
    return bool(dash) and p in ("B", "M", "E", "S") and bool(t)


def read_resume(path, *, types: dict | None = None):
    """Yield ``(text, spans)`` per sentence of a Resume NER file (Zhang and Yang 2018): one
    ``char<SPACE>tag`` per line, BMES tags, a blank line between sentences. Types go through
    ``types`` (default :data:`RESUME_TYPES`: ``NAME`` → ``PER``, ``ORG``, ``LOC``; the other
    types are dropped). ``CorpusFormatError`` names file and line of a malformed one."""
    types = RESUME_TYPES if types is None else types
    for chars, tags in read_tagged_chars(path, one_char=True, tag_ok=_bmes_tag_ok, sep=" ",
                                         expected="one character, a space and a BMES tag "
                                                  "(O, B-TYPE, M-TYPE, E-TYPE or S-TYPE)"):
        yield _bmes_sentence(chars, tags, types)


def _bmes_sentence(chars, tags, types):
    plain = []
    for t in tags:
        p, _, ty = t.partition("-")
        mapped = types.get(ty) if t != "O" else None
        plain.append("O" if not mapped else ("I" if p == "M" else p) + "-" + mapped)
    return "".join(chars), spans_of_tags(plain)


def read_cluener(path, *, types=CLUENER_TYPES):
    """Yield ``(text, spans)`` per record of a CLUENER2020 JSON-lines file: ``{"text": ...,
    "label": {type: {entity: [[start, end], ...]}}}`` with ``end`` inclusive. Every span must lie
    in the text and spell its entity; types outside ``types`` are refused; overlapping spans keep
    the first (longest) one. ``CorpusFormatError`` names file and line."""
    import json
    name = os.fspath(path)
    allowed = set(types)
    for lineno, line in iter_lines(name):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            text, label = rec["text"], rec.get("label") or {}
            if not isinstance(text, str) or not isinstance(label, dict):
                raise ValueError("'text' must be a string and 'label' an object")
            spans = []
            for ty, ents in label.items():
                if ty not in allowed:
                    raise ValueError(f"unknown type {ty!r} (expected one of {sorted(allowed)})")
                for ent, places in ents.items():
                    for s, e in places:
                        if not (isinstance(s, int) and isinstance(e, int) and 0 <= s <= e < len(text)):
                            raise ValueError(f"span [{s}, {e}] outside the text")
                        if text[s:e + 1] != ent:
                            raise ValueError(f"span [{s}, {e}] is {text[s:e + 1]!r}, not {ent!r}")
                        spans.append((s, e + 1, ty))
        except (ValueError, KeyError, TypeError) as err:
            raise CorpusFormatError(name, lineno, f"expected a CLUENER record ({err})", line) from None
        spans.sort(key=lambda x: (x[0], -(x[1] - x[0])))
        kept, end = [], 0
        for s, e, t in spans:
            if s >= end:
                kept.append((s, e, t))
                end = e
        yield text, kept

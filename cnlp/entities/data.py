"""NER training data: the MSRA ``char<TAB>tag`` BIO format, and People's Daily converted to entities.

A sentence is ``(text, spans)`` with ``spans`` a sorted list of ``(start, end, type)`` character
offsets. :func:`read_bio` reads BIO (or BIOES) files; :func:`write_bio` writes them;
:func:`pd98_entities` converts a PD98 sentence: ``nr`` → ``PER`` (a surname followed by a given
name, both tagged ``nr``, become one person), ``ns`` → ``LOC``, ``nt`` → ``ORG``, and compound
brackets ``[…]nt`` → ``ORG``, ``[…]ns`` → ``LOC`` (read with ``compounds="merge"``).
"""
from __future__ import annotations

from typing import Iterable, Iterator

from ..corpus.readers import read_tagged_chars
from ..tagset import TagSet

__all__ = ["ENTITY_TYPES", "PD98_TYPES", "read_bio", "write_bio", "bio_tags", "spans_of_tags",
           "pd98_entities", "format_bio", "format_entities"]

#: the entity types of the shipped model (person, place, organization)
ENTITY_TYPES = ("PER", "LOC", "ORG")
#: PD98 tag -> entity type
PD98_TYPES = {"nr": "PER", "ns": "LOC", "nt": "ORG"}


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

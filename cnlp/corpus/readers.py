"""Streaming readers and writers for the corpus formats cnlp trains on (PD98, SIGHAN, char/tag, CoNLL-U).

Every reader is a generator over a UTF-8 file (a leading BOM and ``\\r\\n`` endings are accepted)
and reports a malformed line as :class:`cnlp.errors.CorpusFormatError` with the file and the
1-based line number. Writers produce files that the matching reader reads back unchanged.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import CorpusFormatError
from ..io import corpora_dir

__all__ = ["read_pd98", "parse_pd98_line", "write_pd98", "read_sighan", "write_sighan",
           "read_tagged_chars", "write_tagged_chars", "read_conllu", "write_conllu",
           "words_to_bmes", "bmes_to_words", "corpus_path", "iter_lines", "CONLLU_FIELDS", "find_cycle",
           "read_words", "detect_format", "SEGMENTED_FORMATS"]

CONLLU_FIELDS = ("id", "form", "lemma", "upos", "xpos", "feats", "head", "deprel", "deps", "misc")

_SPACES = re.compile(r"[ \t]+")
# closing token of a compound: ``人民/n]nt`` -> word, inner tag, compound tag
_CLOSE = re.compile(r"^(.+)/([^/\]\s]+)\]([^\]/\s]+)$")


def corpus_path(*parts) -> Path:
    """Path of a file in the shared corpora (:func:`cnlp.io.corpora_dir`).

    Raises
    ------
    FileNotFoundError
        If the file does not exist (the message says how to point cnlp at the corpora).
    """
    p = corpora_dir().joinpath(*parts)
    if not p.exists():
        raise FileNotFoundError(f"corpus file {p} not found; set CNLP_CORPORA to the directory "
                                f"holding the shared corpora (see /work/shared/corpora/README.md)")
    return p


def iter_lines(path) -> Iterator[tuple[int, str]]:
    """Yield ``(lineno, line)`` of a UTF-8 file, without the line terminator (1-based numbers).

    A BOM on the first line is dropped. Invalid UTF-8 raises :class:`CorpusFormatError`.
    """
    name = os.fspath(path)
    with open(name, "rb") as f:
        yield from iter_stream_lines(f, name)


def iter_stream_lines(stream, name: str, errors: str = "strict",
                      counts: dict | None = None) -> Iterator[tuple[int, str]]:
    """:func:`iter_lines` over an open binary stream; ``name`` is used in error messages.

    A line that is not valid UTF-8 raises :class:`CorpusFormatError` (``errors="strict"``), is
    decoded with U+FFFD (``"replace"``) or left out (``"skip"``); the last two are counted in
    ``counts[errors]`` when a dict is given."""
    for lineno, raw in enumerate(stream, 1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            if errors == "strict":
                raise CorpusFormatError(name, lineno, f"not valid UTF-8 ({e.reason} at byte {e.start})") from None
            if counts is not None:
                counts[errors] = counts.get(errors, 0) + 1
            if errors == "skip":
                continue
            line = raw.decode("utf-8", "replace")
        if lineno == 1 and line.startswith("\ufeff"):
            line = line[1:]
        if line.endswith("\n"):
            line = line[:-1]
        if line.endswith("\r"):
            line = line[:-1]
        yield lineno, line


# ---------------------------------------------------------------------------------- PD98
def _split_token(tok: str) -> tuple[str, str] | None:
    word, slash, tag = tok.rpartition("/")
    if not slash or not word or not tag:
        return None
    return word, tag


def parse_pd98_line(line: str, *, compounds: str = "flatten", path="<string>",
                    lineno: int = 1) -> list[tuple[str, str]]:
    """Parse one People's Daily line ``word/TAG  word/TAG ...`` into ``[(word, tag), ...]``.

    Parameters
    ----------
    line : str
        Tokens separated by runs of spaces/tabs. Compound brackets ``[中国/ns  人民/n]nt``
        are accepted.
    compounds : {"flatten", "merge"}
        ``"flatten"`` keeps the inner words (``中国/ns``, ``人民/n``); ``"merge"`` yields one
        token ``("中国人民", "nt")``.
    path, lineno
        Used in error messages only.

    Raises
    ------
    CorpusFormatError
        A token without ``/TAG``, an unclosed or unopened bracket.

    Examples
    --------
    >>> parse_pd98_line("[中国/ns  人民/n]nt  好/a", compounds="merge")
    [('中国人民', 'nt'), ('好', 'a')]
    """
    if compounds not in ("flatten", "merge"):
        raise ValueError(f"compounds must be 'flatten' or 'merge', got {compounds!r}")
    out: list[tuple[str, str]] = []
    group: list[tuple[str, str]] | None = None
    for tok in _SPACES.split(line.strip(" \t\r\n")):
        if not tok:
            continue
        if tok[0] == "[" and len(tok) > 1 and tok[1] != "/":      # "[/w" is the bracket itself
            if group is not None:
                raise CorpusFormatError(path, lineno, f"nested '[' in token {tok!r}", line)
            group = []
            tok = tok[1:]
        m = _CLOSE.match(tok) if group is not None else None
        if m is not None:
            group.append((m.group(1), m.group(2)))
            if compounds == "merge":
                out.append(("".join(w for w, _ in group), m.group(3)))
            else:
                out.extend(group)
            group = None
            continue
        pair = _split_token(tok)
        if pair is None:
            raise CorpusFormatError(path, lineno, f"token {tok!r} is not word/TAG", line)
        if "]" in pair[1] or "[" in pair[1]:
            what = "closes a compound that was never opened" if group is None else "has a malformed tag"
            raise CorpusFormatError(path, lineno, f"token {tok!r} {what}", line)
        if any(c.isspace() for c in tok):
            raise CorpusFormatError(path, lineno, f"token {tok!r} contains whitespace "
                                                  f"(U+{ord(next(c for c in tok if c.isspace())):04X}); tokens "
                                                  f"are separated by spaces or tabs", line)
        (group if group is not None else out).append(pair)
    if group is not None:
        raise CorpusFormatError(path, lineno, "compound bracket '[' is never closed", line)
    return out


def read_pd98(path, *, compounds: str = "flatten") -> Iterator[list[tuple[str, str]]]:
    """Yield one ``[(word, tag), ...]`` list per non-blank line of a PD98 file (blank lines are skipped).

    See :func:`parse_pd98_line` for ``compounds``.
    """
    name = os.fspath(path)
    for lineno, line in iter_lines(name):
        if line.strip():
            yield parse_pd98_line(line, compounds=compounds, path=name, lineno=lineno)


def write_pd98(sentences: Iterable[Iterable[tuple[str, str]]], path) -> int:
    """Write ``[(word, tag), ...]`` sentences as PD98 lines (two spaces between tokens); return the count."""
    n = 0
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for sent in sentences:
            toks = []
            for w, t in sent:
                if not w or not t or any(c in w for c in " \t\n\r") or "/" in t:
                    raise ValueError(f"cannot write token {w!r}/{t!r} in PD98 format")
                toks.append(f"{w}/{t}")
            if not toks:
                raise ValueError("cannot write an empty sentence in PD98 format (read_pd98 skips blank lines)")
            f.write("  ".join(toks) + "\n")
            n += 1
    return n


# ---------------------------------------------------------------------------------- SIGHAN
def read_sighan(path) -> Iterator[list[str]]:
    """Yield the whitespace-separated words of each line of a segmented (SIGHAN) file.

    Blank lines yield ``[]`` so that the i-th item always belongs to line i + 1 (this keeps
    predictions and gold aligned line by line, as the SIGHAN scorer expects).
    """
    for _, line in iter_lines(path):
        yield line.split()


def write_sighan(sentences: Iterable[Iterable[str]], path, sep: str = "  ") -> int:
    """Write one line per sentence, words joined by ``sep``; return the number of lines."""
    n = 0
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for words in sentences:
            words = list(words)
            for w in words:
                if not w or any(c.isspace() for c in w):
                    raise ValueError(f"cannot write word {w!r} in SIGHAN format (empty or contains whitespace)")
            f.write(sep.join(words) + "\n")
            n += 1
    return n


# ---------------------------------------------------------------------------------- char/tag
def read_tagged_chars(path, *, one_char: bool = False, tag_ok=None, token_ok=None, sep: str = "\t",
                      expected: str = "'char<TAB>tag'") -> Iterator[tuple[list[str], list[str]]]:
    """Yield ``(chars, tags)`` per sentence of a ``char<TAB>tag`` file (blank line between sentences).

    The tag is everything after the last ``sep`` (a tab; a space for files such as Resume NER),
    stripped, so with a tab a space character can be a token. ``one_char``: each token must be one
    character; ``token_ok(token) -> bool`` and ``tag_ok(tag) -> bool`` check the tokens and the tags;
    a line that fails raises :class:`CorpusFormatError` naming file and line, saying ``expected``.
    """
    name = os.fspath(path)
    chars: list[str] = []
    tags: list[str] = []
    for lineno, line in iter_lines(name):
        if not line.strip():
            if chars:
                yield chars, tags
                chars, tags = [], []
            continue
        ch, tab, tag = line.rpartition(sep)
        tag = tag.strip()
        if not tab or not ch or not tag or (one_char and len(ch) != 1) or (tag_ok is not None and not tag_ok(tag)) \
                or (token_ok is not None and not token_ok(ch)):
            raise CorpusFormatError(name, lineno, f"expected {expected}", line)
        chars.append(ch)
        tags.append(tag)
    if chars:
        yield chars, tags


def write_tagged_chars(sentences: Iterable[tuple[Iterable[str], Iterable[str]]], path) -> int:
    """Write ``(chars, tags)`` sentences as ``char<TAB>tag`` lines with a blank line after each."""
    n = 0
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for chars, tags in sentences:
            chars, tags = list(chars), list(tags)
            if len(chars) != len(tags):
                raise ValueError(f"sentence {n}: {len(chars)} chars but {len(tags)} tags")
            if not chars:
                continue
            for c, t in zip(chars, tags):
                if not c or "\n" in c or "\t" in t or not t.strip():
                    raise ValueError(f"cannot write {c!r}/{t!r} as char<TAB>tag")
                f.write(f"{c}\t{t}\n")
            f.write("\n")
            n += 1
    return n


# ---------------------------------------------------------------------------------- CoNLL-U
def conllu_blocks(lines: Iterable[tuple[int, str]], name: str) -> Iterator[tuple[list[str], list[tuple[int, str, list[str]]]]]:
    """The one CoNLL-U block reader: ``(comment lines, word rows)`` per sentence of ``(lineno, line)``
    pairs, a row being ``(lineno, line, 10 columns)``. Multiword and empty-node lines (``1-2``,
    ``1.1``) are skipped; a line without 10 tab-separated columns raises :class:`CorpusFormatError`
    naming ``name`` and the line; blocks without a word are not yielded. Each reader checks the
    columns it uses (:func:`read_conllu`, :func:`cnlp.parsing.conllu.read_ud_stream`)."""
    comments: list[str] = []
    rows: list[tuple[int, str, list[str]]] = []
    for lineno, line in lines:
        if not line.strip():
            if rows:
                yield comments, rows
            comments, rows = [], []
            continue
        if line.startswith("#"):
            comments.append(line)
            continue
        cols = line.split("\t")
        if len(cols) != 10:
            raise CorpusFormatError(name, lineno, f"expected 10 tab-separated columns, got {len(cols)}", line)
        if "-" in cols[0] or "." in cols[0]:
            continue
        rows.append((lineno, line, cols))
    if rows:
        yield comments, rows


def read_conllu(path) -> Iterator[list[dict]]:
    """Yield one list of token dicts per CoNLL-U sentence.

    Keys are :data:`CONLLU_FIELDS`; ``id`` and ``head`` are ints (``head`` None when ``_``),
    the other fields are strings (``_`` kept verbatim). Comment lines and multiword /
    empty-node lines (``1-2``, ``1.1``) are skipped.
    """
    name = os.fspath(path)
    for _, rows in conllu_blocks(iter_lines(name), name):
        sent: list[dict] = []
        for lineno, line, cols in rows:
            try:
                tid = int(cols[0])
                head = None if cols[6] == "_" else int(cols[6])
            except ValueError:
                raise CorpusFormatError(name, lineno, "ID and HEAD must be integers", line) from None
            tok = dict(zip(CONLLU_FIELDS, cols))
            tok["id"], tok["head"] = tid, head
            sent.append(tok)
        _check_tree(name, sent, [(lineno, line) for lineno, line, _ in rows])
        yield sent


def find_cycle(heads) -> list[int] | None:
    """The 1-based IDs of a cycle of ``heads`` (HEAD of word ``i`` at index ``i - 1``, each in 0..n;
    None for an unknown HEAD ends a walk), in the order of the walk from the smallest ID on it, or
    None when every word reaches the root 0 (or an unknown HEAD). O(n)."""
    n = len(heads)
    state = [0] * (n + 1)                 # 0 unseen, 1 on the current walk, 2 done
    for start in range(1, n + 1):
        path, i = [], start
        while 1 <= i <= n and state[i] == 0:
            state[i] = 1
            path.append(i)
            i = heads[i - 1] if heads[i - 1] is not None else 0
        if 1 <= i <= n and state[i] == 1:          # the walk came back to itself
            cyc = path[path.index(i):]
            k = cyc.index(min(cyc))
            return cyc[k:] + cyc[:k]
        for j in path:
            state[j] = 2
    return None


def cycle_reason(cycle: list[int]) -> str:
    return f"the HEADs form a cycle ({' -> '.join(map(str, cycle + cycle[:1]))}): not a tree"


def _check_tree(name: str, sent: list[dict], lines: list[tuple[int, str]]) -> None:
    """CorpusFormatError unless the word IDs are 1..n in order, every HEAD is in 0..n and the HEADs
    form a tree (no cycle; the error names the line of the cycle's smallest ID)."""
    n = len(sent)
    for k, (tok, (lineno, line)) in enumerate(zip(sent, lines), 1):
        if tok["id"] != k:
            why = "duplicate ID" if any(t["id"] == tok["id"] for t in sent[:k - 1]) else f"ID {tok['id']}, expected {k}"
            raise CorpusFormatError(name, lineno, f"{why} (word IDs must be 1..n in order)", line)
        if tok["head"] is not None and not 0 <= tok["head"] <= n:
            raise CorpusFormatError(name, lineno, f"HEAD {tok['head']} outside 0..{n}", line)
    cycle = find_cycle([tok["head"] for tok in sent])
    if cycle:
        lineno, line = lines[cycle[0] - 1]
        raise CorpusFormatError(name, lineno, cycle_reason(cycle), line)


def write_conllu(sentences: Iterable[list[dict]], path) -> int:
    """Write token-dict sentences (as from :func:`read_conllu`) in CoNLL-U; missing fields become ``_``."""
    n = 0
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for sent in sentences:
            for i, tok in enumerate(sent, 1):
                vals = []
                for k in CONLLU_FIELDS:
                    v = tok.get(k, i if k == "id" else None)
                    v = "_" if v is None or v == "" else str(v)
                    if "\t" in v or "\n" in v:
                        raise ValueError(f"field {k}={v!r} contains a tab or newline")
                    vals.append(v)
                f.write("\t".join(vals) + "\n")
            f.write("\n")
            n += 1
    return n


# ---------------------------------------------------------------------------------- BMES
def words_to_bmes(words: Iterable[str]) -> list[str]:
    """Per-character BMES labels of a word sequence.

    >>> words_to_bmes(["中国", "人", "研究生"])
    ['B', 'E', 'S', 'B', 'M', 'E']
    """
    out: list[str] = []
    for w in words:
        n = len(w)
        if n == 1:
            out.append("S")
        elif n > 1:
            out.append("B")
            out.extend("M" * (n - 2))
            out.append("E")
    return out


def bmes_to_words(chars, labels) -> list[str]:
    """Join characters into words following BMES labels; lenient for ill-formed sequences.

    A word starts at every ``B`` or ``S`` and after every ``E`` or ``S``; any other label
    continues the current word. So ``"".join(result) == "".join(chars)`` always.

    >>> bmes_to_words("商品和服务", "BESBE")
    ['商品', '和', '服务']
    >>> bmes_to_words("abc", "MMB")
    ['ab', 'c']
    """
    chars, labels = list(chars), list(labels)
    if len(chars) != len(labels):
        raise ValueError(f"{len(chars)} chars but {len(labels)} labels")
    words: list[str] = []
    cur: list[str] = []
    prev = "S"
    for c, lab in zip(chars, labels):
        if cur and (lab in ("B", "S") or prev in ("E", "S")):
            words.append("".join(cur))
            cur = []
        cur.append(c)
        prev = lab
    if cur:
        words.append("".join(cur))
    return words


# ---------------------------------------------------------------------------------- segmented text, any format
#: the formats :func:`read_words` reads: PD98 ``word/TAG`` tokens, words separated by spaces
#: (SIGHAN / NLPCC), CoNLL-U (the FORM column)
SEGMENTED_FORMATS = ("pd98", "spaces", "conllu")
_PD98_TOKEN = re.compile(r"^\S+/[A-Za-z][A-Za-z0-9]*(\][A-Za-z]+)?$")


def detect_format(path) -> str:
    """The format of a segmented corpus file, from its first line that is not blank: ``conllu``
    (a ``#`` comment or 10 tab-separated columns), ``pd98`` (every token ``word/TAG``) or
    ``spaces`` (words separated by spaces). A file in none of them (tabs but not CoNLL-U, or no
    line at all) raises :class:`CorpusFormatError` naming the file and the line."""
    name = os.fspath(path)
    for lineno, line in iter_lines(name):
        if not line.strip():
            continue
        if line.startswith("#") or len(line.split("\t")) == 10:
            return "conllu"
        if "\t" in line:
            raise CorpusFormatError(name, lineno, "neither PD98 word/TAG, nor words separated by spaces, "
                                                  "nor CoNLL-U (a tab outside 10 CoNLL-U columns)", line)
        toks = line.split()
        if all(_PD98_TOKEN.match(t) for t in toks):
            return "pd98"
        return "spaces"
    raise CorpusFormatError(name, 1, "no segmented sentence in the file", "")


def read_words(path, format: str = "auto") -> Iterator[list[str]]:
    """Yield the words of each sentence of a segmented corpus file: PD98 (``word/TAG`` tokens, the
    tags dropped), words separated by spaces (SIGHAN / NLPCC; one sentence per line) or CoNLL-U
    (the FORM column; multiword-token lines skipped). ``format="auto"`` decides per file
    (:func:`detect_format`). Blank lines are skipped. A line that does not fit the file's format
    (a token without ``/TAG`` in a PD98 file, a tab in a space-separated file, a CoNLL-U line without
    10 columns or with an empty FORM) raises :class:`CorpusFormatError` with the file and line."""
    if format not in ("auto",) + SEGMENTED_FORMATS:
        raise ValueError(f"format must be 'auto' or one of {list(SEGMENTED_FORMATS)}, got {format!r}")
    name = os.fspath(path)
    fmt = detect_format(name) if format == "auto" else format
    if fmt == "pd98":
        for sent in read_pd98(name):
            yield [w for w, _ in sent]
    elif fmt == "conllu":
        for _, rows in conllu_blocks(iter_lines(name), name):
            words = []
            for lineno, line, cols in rows:
                form = cols[1]
                if not form or any(c.isspace() for c in form):
                    raise CorpusFormatError(name, lineno, f"FORM {form!r} is empty or contains whitespace", line)
                words.append(form)
            yield words
    else:
        for lineno, line in iter_lines(name):
            if "\t" in line:
                raise CorpusFormatError(name, lineno, "a tab in a file of words separated by spaces "
                                                      "(neither PD98, nor space-separated words, nor CoNLL-U)", line)
            words = line.split()
            if words:
                yield words

"""CorpusStats: word, char, word-bigram, POS-tag, tag-transition, word→tag, document and BMES counts from one pass.

Words are interned into the ids of a marisa ``Trie`` (stored exactly as in the corpus, no
folding; :mod:`cnlp.dictionary` folds). All counts live in numpy arrays indexed by those ids,
so downstream builders (dictionary, lattice bigrams, POS HMM, IDF table) read arrays, not dicts.

Document frequencies: a *document* is one sentence as given to :meth:`CorpusStats.build` (for
PD98 one non-blank line = one paragraph; for SIGHAN one line). Token counts can be folded by
summing, document frequencies cannot (a document holding both ``ＷＴＯ`` and ``WTO`` must count
once), so two arrays are kept: :attr:`~CorpusStats.doc_freqs` for the exact word and
:attr:`~CorpusStats.folded_doc_freqs` for its width-fold class (``cnlp.text.fold_str``).

BMES counts (what a character-tagging segmenter such as :class:`cnlp.segmentation.hmm.HMMSegmenter`
counts): every character of a word has a BMES label (``S`` for a one-character word, else ``B M* E``;
ids B = 0, M = 1, E = 2, S = 3 as in :data:`cnlp.tagset.BMES`). :attr:`~CorpusStats.char_bmes`
holds, per character of :attr:`~CorpusStats.char_codes` (exact code points, not folded), how often
it carries each label; :attr:`~CorpusStats.bmes_trigrams` the label trigrams of every non-empty
sentence padded as ``BOS BOS l1 ... ln EOS`` and :attr:`~CorpusStats.bmes_transitions` the label
bigrams (``BOS l1 ... ln EOS``). Labels and word boundaries of the input are taken as given (a
whitespace word is labelled like any other).
"""
from __future__ import annotations

import hashlib
from array import array
from pathlib import Path
from typing import Iterable, Iterator

import marisa_trie
import numpy as np

from ..text import fold_key, trie_get
from ..errors import ModelFormatError
from ..io import guard_load, load_bundle, save_bundle
from .._tagset_kernels import BMES_BOS, BMES_EOS, BMES_LABELS
from ._stats_kernels import _count_docs, _count_label_trigrams
from .readers import read_pd98, read_sighan

__all__ = ["CorpusStats"]

KIND = "corpus_stats"
_REQUIRED = {"word_counts": "i", "bigram_keys": "i", "bigram_counts": "i", "char_codes": "i",
             "char_counts": "i", "tag_counts": "i", "transitions": "i", "emit_indptr": "i",
             "emit_tags": "i", "emit_counts": "i"}
#: BMES label ids of :attr:`CorpusStats.char_bmes` (as :data:`cnlp.tagset.BMES`); 4 / 5 = BOS / EOS
#: in :attr:`CorpusStats.bmes_transitions` and :attr:`CorpusStats.bmes_trigrams`
_BMES_ARRAYS = ("char_bmes", "bmes_trigrams")
#: arrays of newer bundles (older ones load without them)
_OPTIONAL = {"doc_freqs": "i", "folded_doc_freqs": "i", "char_bmes": "i", "bmes_trigrams": "i"}


class _NotAWord(Exception):
    """Raised by :class:`_Interner` for a key that is not a non-empty str."""


class _Interner(dict):
    """``word -> provisional id``; a missing word gets the next id (Python runs once per word type)."""

    __slots__ = ()

    def __missing__(self, w):
        if not isinstance(w, str) or not w:
            raise _NotAWord
        i = self[w] = len(self)
        return i


class CorpusStats:
    """Counts over a corpus of ``[(word, tag), ...]`` sentences (tag may be None).

    Ids: a word's id is ``trie[word]`` (``0..n_words-1``); ``BOS = n_words`` and
    ``EOS = n_words + 1`` are the sentence markers of the bigram table. Tag ids index
    :attr:`tag_names`; in :attr:`transitions` (shape ``(n_tags + 2, n_tags + 2)``) row/column
    ``n_tags`` is BOS and ``n_tags + 1`` is EOS.

    Attributes
    ----------
    trie : marisa_trie.Trie
        The word vocabulary.
    word_counts : int64[n_words]
        Count by word id.
    bigram_keys, bigram_counts : int64[m]
        Sorted keys ``prev * (n_words + 2) + next`` (ids including BOS/EOS) and counts.
    char_codes : int32[c], char_counts : int64[c]
        Sorted code points and their counts.
    tag_names : list of str; tag_counts : int64[n_tags]; transitions : int64[n_tags+2, n_tags+2]
    emit_indptr : int64[n_words+1]; emit_tags : int32[e]; emit_counts : int64[e]
        CSR of word id -> (tag id, count).
    n_sentences : int
        Number of sentences, empty ones included; also the number of documents (:attr:`n_docs`).
    doc_freqs : int64[n_words] or None
        Number of sentences (documents) containing the word at least once.
    folded_doc_freqs : int64[n_words] or None
        Number of sentences containing at least one word of the same width-fold class
        (``cnlp.text.fold_str(a) == fold_str(b)``), e.g. ``ＷＴＯ``, ``WTO`` and ``wto`` share one
        value; equal to :attr:`doc_freqs` for a word without fold partners. Both are ``None`` for
        bundles saved before cnlp counted documents.
    char_bmes : int64[c, 4] or None
        Per character of :attr:`char_codes`, its count as B, M, E and S (rows sum to
        :attr:`char_counts`).
    bmes_transitions : int64[6, 6] or None
        BMES label bigrams within sentences; row 4 is BOS, column 5 is EOS (the layout of
        :attr:`transitions`). Equal to ``bmes_trigrams.sum(axis=0)``.
    bmes_trigrams : int64[6, 6, 6] or None
        BMES label trigrams of each non-empty sentence padded as ``BOS BOS l1 ... ln EOS``.
        The three BMES arrays are ``None`` for bundles saved before cnlp counted them
        (:meth:`require_bmes` then raises ModelFormatError).
    """

    def __init__(self, trie, word_counts, bigram_keys, bigram_counts, char_codes, char_counts,
                 tag_names, tag_counts, transitions, emit_indptr, emit_tags, emit_counts,
                 n_sentences: int, meta: dict | None = None, doc_freqs=None, folded_doc_freqs=None,
                 char_bmes=None, bmes_trigrams=None):
        self.trie = trie
        self.word_counts = word_counts
        self.bigram_keys = bigram_keys
        self.bigram_counts = bigram_counts
        self.char_codes = char_codes
        self.char_counts = char_counts
        self.tag_names = list(tag_names)
        self.tag_counts = tag_counts
        self.transitions = transitions
        self.emit_indptr = emit_indptr
        self.emit_tags = emit_tags
        self.emit_counts = emit_counts
        self.n_sentences = int(n_sentences)
        self.doc_freqs = doc_freqs
        self.folded_doc_freqs = folded_doc_freqs
        self.char_bmes = char_bmes
        self.bmes_trigrams = bmes_trigrams
        self.meta = dict(meta or {})
        self._loaded_from: Path | None = None
        self._tag_index = {t: i for i, t in enumerate(self.tag_names)}

    # ------------------------------------------------------------------ construction
    @classmethod
    def build(cls, sentences: Iterable[Iterable[tuple[str, str | None]]], *, meta: dict | None = None
              ) -> "CorpusStats":
        """Count everything in one pass over ``sentences`` (each a list of ``(word, tag)``; tag may be None).

        Plain word lists (SIGHAN) are accepted too: a ``str`` item is read as ``(word, None)``.
        Empty sentences count as sentences (and documents) but add nothing else. Each sentence is
        one document of :attr:`doc_freqs`.

        The pass only interns words and records the token stream (and the ``(word, tag)`` pairs);
        every count is derived from those arrays afterwards. A sentence of plain words is
        interned by one ``map`` call (Python code runs only for a word seen for the first time),
        so counting plain word lists costs about what a ``collections.Counter`` does.
        """
        wid = _Interner()
        lookup = wid.__getitem__
        tid: dict[str, int] = {}
        stream = array("q")         # provisional word ids in corpus order, -2 closing each non-empty sentence
        pair_w = array("q")
        pair_t = array("q")
        tag_seq = array("q")        # tag ids of fully tagged sentences, -1 separating sentences
        n_sent = 0
        for sent in sentences:
            n_sent += 1
            if not isinstance(sent, (list, tuple)):
                sent = list(sent)
            try:                                            # plain words: one C-level map
                ids = list(map(lookup, sent))
            except (_NotAWord, TypeError):                  # (word, tag) pairs, or a bad item
                ids = cls._tagged_ids(sent, n_sent, wid, tid, pair_w, pair_t, tag_seq)
            if ids:
                stream.extend(ids)
                stream.append(-2)
        return cls._finish(wid, tid, stream, pair_w, pair_t, tag_seq, n_sent, meta)

    @staticmethod
    def _tagged_ids(sent, n_sent, wid, tid, pair_w, pair_t, tag_seq) -> list[int]:
        """Word ids of one sentence of ``(word, tag)`` pairs (or mixed with plain words); records its tags."""
        ids = []
        tids = []
        tagged = True
        for item in sent:
            if isinstance(item, str):
                w, t = item, None
            else:
                w, t = item
            if not isinstance(w, str) or not w:
                raise ValueError(f"sentence {n_sent}: word must be a non-empty str, got {w!r}")
            i = wid[w]
            ids.append(i)
            if t is None:
                tagged = False
            else:
                j = tid.get(t)
                if j is None:
                    j = tid[t] = len(tid)
                pair_w.append(i)
                pair_t.append(j)
                tids.append(j)
        if tagged and tids:
            tag_seq.extend(tids)
            tag_seq.append(-1)
        return ids

    @classmethod
    def _finish(cls, wid, tid, stream, pair_w, pair_t, tag_seq, n_sent, meta):
        words = list(wid)
        trie = marisa_trie.Trie(words)
        nw = len(words)
        # marisa assigns its own ids: remap provisional id -> trie id
        remap = np.fromiter((trie[w] for w in words), dtype=np.int64, count=nw)
        raw = np.frombuffer(stream, np.int64) if len(stream) else np.zeros(0, np.int64)
        ends = raw == -2
        tok_prov = raw[~ends]                               # provisional id of every token
        prov_counts = np.bincount(tok_prov, minlength=nw).astype(np.int64)
        word_counts = np.zeros(nw, np.int64)
        word_counts[remap] = prov_counts
        # bigrams: a token's predecessor is the previous stream entry, BOS after a sentence end
        stride = nw + 2
        full = np.concatenate([remap, [nw + 1, nw]])       # index -2 -> EOS, -1 -> BOS
        prev = np.empty_like(raw)
        if raw.size:
            prev[0] = -1
            prev[1:] = np.where(ends[:-1], -1, raw[:-1])
        bigram_keys, bigram_counts = np.unique(full[prev] * stride + full[raw], return_counts=True)
        # tags: sort names, remap provisional tag ids
        tag_names = sorted(tid)
        nt = len(tag_names)
        tmap = np.array([tag_names.index(t) for t in tid], dtype=np.int64) if nt else np.zeros(0, np.int64)
        pw = remap[np.frombuffer(pair_w, np.int64)] if len(pair_w) else np.zeros(0, np.int64)
        pt = tmap[np.frombuffer(pair_t, np.int64)] if len(pair_t) else np.zeros(0, np.int64)
        tag_counts = np.bincount(pt, minlength=nt).astype(np.int64)
        ekeys, ecounts = np.unique(pw * max(nt, 1) + pt, return_counts=True)
        emit_w = ekeys // max(nt, 1)
        emit_indptr = np.zeros(nw + 1, np.int64)
        np.cumsum(np.bincount(emit_w, minlength=nw), out=emit_indptr[1:])
        # transitions over fully tagged sentences (BOS = nt, EOS = nt + 1)
        transitions = np.zeros((nt + 2, nt + 2), np.int64)
        seq = np.frombuffer(tag_seq, np.int64)
        if seq.size:
            mapped = np.where(seq >= 0, tmap[np.maximum(seq, 0)], -1)
            # prepend a separator so every sentence is "-1 t1 ... tk -1"
            s = np.concatenate([[-1], mapped])
            a, b = s[:-1], s[1:]
            a = np.where(a < 0, nt, a)                  # after a separator: BOS
            b = np.where(b < 0, nt + 1, b)              # a separator as next: EOS
            np.add.at(transitions, (a, b), 1)
        # characters and their BMES positions, from the word types weighted by their counts
        codes, char_bmes, bmes_trigrams = _char_bmes(words, prov_counts, tok_prov, ends)
        # documents: the k-th EOS marker (-2) in the stream closes the k-th non-empty sentence, so a
        # token's document is the number of markers before it (tokens are in corpus order)
        tok_doc = np.cumsum(ends)[~ends]
        tok_word = remap[tok_prov] if nw else np.zeros(0, np.int64)
        doc_freqs = _doc_freqs(tok_doc, tok_word, nw)
        folded_doc_freqs = _folded_doc_freqs(wid, remap, tok_doc, tok_word, doc_freqs)
        return cls(trie, word_counts, bigram_keys.astype(np.int64), bigram_counts.astype(np.int64),
                   codes, char_bmes.sum(axis=1), tag_names, tag_counts, transitions, emit_indptr,
                   (ekeys % max(nt, 1)).astype(np.int32), ecounts.astype(np.int64), n_sent, meta,
                   doc_freqs, folded_doc_freqs, char_bmes, bmes_trigrams)

    @classmethod
    def from_pd98(cls, path, *, compounds: str = "flatten") -> "CorpusStats":
        """Build from a People's Daily file (see :func:`cnlp.corpus.readers.read_pd98`)."""
        return cls.build(read_pd98(path, compounds=compounds),
                         meta={"sources": [_source_info(path, "pd98")]})

    @classmethod
    def from_sighan(cls, path) -> "CorpusStats":
        """Build from a segmented (SIGHAN) file; no tag counts. Blank lines count as sentences."""
        return cls.build(read_sighan(path), meta={"sources": [_source_info(path, "sighan")]})

    # ------------------------------------------------------------------ accessors
    @property
    def n_words(self) -> int:
        """Number of word types."""
        return int(self.word_counts.shape[0])

    @property
    def total_words(self) -> int:
        """Number of word tokens."""
        return int(self.word_counts.sum())

    @property
    def n_docs(self) -> int:
        """Number of documents of :attr:`doc_freqs` (= :attr:`n_sentences`, empty sentences included)."""
        return self.n_sentences

    @property
    def has_doc_freqs(self) -> bool:
        """False for a bundle saved before cnlp counted document frequencies."""
        return self.doc_freqs is not None and self.folded_doc_freqs is not None

    def _missing(self, what: str):
        """The error for counts this object lacks: ModelFormatError naming the bundle, else ValueError."""
        reason = (f"has no {what} (saved before cnlp counted them); rebuild it with "
                  "`python -m cnlp train stats --corpus PATH --out DIR`")
        if self._loaded_from is not None:
            return ModelFormatError(self._loaded_from / "arrays.npz", reason)
        return ValueError(f"this CorpusStats {reason}")

    def _require_doc_freqs(self) -> None:
        if not self.has_doc_freqs:
            raise self._missing("document frequencies")

    @property
    def has_bmes(self) -> bool:
        """False for a bundle saved before cnlp counted BMES labels."""
        return self.char_bmes is not None and self.bmes_trigrams is not None

    def require_bmes(self) -> None:
        """Raise (ModelFormatError for a loaded bundle, else ValueError) unless the BMES counts exist."""
        if not self.has_bmes:
            raise self._missing("BMES label counts")

    @property
    def bmes_transitions(self) -> np.ndarray | None:
        """BMES label bigrams ``(6, 6)`` (row 4 = BOS, column 5 = EOS); None without BMES counts."""
        return None if self.bmes_trigrams is None else self.bmes_trigrams.sum(axis=0)

    def char_labels(self, ch: str) -> dict[str, int]:
        """``{label: count}`` of the BMES labels ``ch`` carries (labels never seen are left out)."""
        self.require_bmes()
        if not isinstance(ch, str) or len(ch) != 1:
            raise TypeError(f"char_labels() expects a one-character str, got {ch!r}")
        k = int(np.searchsorted(self.char_codes, ord(ch)))
        if k < self.char_codes.shape[0] and self.char_codes[k] == ord(ch):
            return {lab: int(c) for lab, c in zip(BMES_LABELS, self.char_bmes[k].tolist()) if c}
        return {}

    def doc_freq(self, word: str, *, folded: bool = False) -> int:
        """Number of documents (sentences) containing ``word``; 0 if it never occurred.

        ``folded=True`` counts documents containing any word of ``word``'s width-fold class
        (``ＷＴＯ`` / ``WTO`` / ``wto``), each document once. ``word`` itself must be a corpus form.
        """
        self._require_doc_freqs()
        i = self.word_id(word)
        if i < 0:
            return 0
        return int((self.folded_doc_freqs if folded else self.doc_freqs)[i])

    @property
    def bos(self) -> int:
        return self.n_words

    @property
    def eos(self) -> int:
        return self.n_words + 1

    def word_id(self, word: str) -> int:
        """Trie id of ``word``, or -1 if it never occurred."""
        return trie_get(self.trie, word) if isinstance(word, str) else -1

    def word_count(self, word: str) -> int:
        i = self.word_id(word)
        return int(self.word_counts[i]) if i >= 0 else 0

    def __contains__(self, word) -> bool:
        return self.word_id(word) >= 0

    def __len__(self) -> int:
        return self.n_words

    def words(self) -> Iterator[str]:
        """All word types, in trie-id order."""
        return (self.trie.restore_key(i) for i in range(self.n_words))

    def word_items(self) -> Iterator[tuple[str, int]]:
        """``(word, count)`` for every word type, in trie-id order."""
        wc = self.word_counts.tolist()
        return ((self.trie.restore_key(i), wc[i]) for i in range(self.n_words))

    def tags_of(self, word: str) -> dict[str, int]:
        """``{tag: count}`` of ``word`` (empty if unknown or untagged)."""
        i = self.word_id(word)
        if i < 0:
            return {}
        a, b = int(self.emit_indptr[i]), int(self.emit_indptr[i + 1])
        return {self.tag_names[t]: int(c) for t, c in zip(self.emit_tags[a:b].tolist(),
                                                            self.emit_counts[a:b].tolist())}

    def tag_id(self, tag: str) -> int:
        return self._tag_index.get(tag, -1)

    def tag_count(self, tag: str) -> int:
        i = self.tag_id(tag)
        return int(self.tag_counts[i]) if i >= 0 else 0

    def _bigram_id(self, w) -> int:
        if w is None:
            raise ValueError("use the strings '<s>' / '</s>' or ids bos/eos for sentence markers")
        if isinstance(w, (int, np.integer)):
            return int(w)
        if w == "<s>":
            return self.bos
        if w == "</s>":
            return self.eos
        return self.word_id(w)

    def bigram_count(self, w1, w2) -> int:
        """Count of ``w1`` followed by ``w2`` (``"<s>"`` / ``"</s>"`` or ids :attr:`bos`/:attr:`eos` for markers).

        A literal corpus word ``<s>`` is shadowed by the marker; pass its id to reach it.
        """
        a, b = self._bigram_id(w1), self._bigram_id(w2)
        if a < 0 or b < 0:
            return 0
        key = a * (self.n_words + 2) + b
        k = int(np.searchsorted(self.bigram_keys, key))
        if k < self.bigram_keys.shape[0] and self.bigram_keys[k] == key:
            return int(self.bigram_counts[k])
        return 0

    def char_count(self, ch: str) -> int:
        if not isinstance(ch, str) or len(ch) != 1:
            raise TypeError(f"char_count() expects a one-character str, got {ch!r}")
        k = int(np.searchsorted(self.char_codes, ord(ch)))
        if k < self.char_codes.shape[0] and self.char_codes[k] == ord(ch):
            return int(self.char_counts[k])
        return 0

    # ------------------------------------------------------------------ persistence
    def save(self, directory) -> Path:
        meta = {**self.meta, "n_words": self.n_words, "tag_names": self.tag_names,
                "n_sentences": self.n_sentences, "total_words": self.total_words}
        arrays = {"word_counts": self.word_counts, "bigram_keys": self.bigram_keys,
                  "bigram_counts": self.bigram_counts, "char_codes": self.char_codes,
                  "char_counts": self.char_counts, "tag_counts": self.tag_counts,
                  "transitions": self.transitions, "emit_indptr": self.emit_indptr,
                  "emit_tags": self.emit_tags, "emit_counts": self.emit_counts}
        if self.has_doc_freqs:
            arrays["doc_freqs"] = self.doc_freqs
            arrays["folded_doc_freqs"] = self.folded_doc_freqs
        if self.has_bmes:
            arrays["char_bmes"] = self.char_bmes
            arrays["bmes_trigrams"] = self.bmes_trigrams
        return save_bundle(directory, KIND, meta, arrays, {"words": self.trie})

    @classmethod
    @guard_load
    def load(cls, directory) -> "CorpusStats":
        """Load a bundle written by :meth:`save`; any inconsistency raises :class:`ModelFormatError`.

        Bundles saved before document frequencies were counted still load, with ``doc_freqs`` and
        ``folded_doc_freqs`` set to None (:meth:`doc_freq` then raises ModelFormatError); likewise
        bundles saved before BMES labels were counted load with ``char_bmes`` / ``bmes_trigrams``
        None (:meth:`require_bmes` raises ModelFormatError).
        """
        meta, a, tries = load_bundle(directory, KIND, _REQUIRED, ("words",), optional=_OPTIONAL)
        trie = tries["words"]
        npz = Path(directory) / "arrays.npz"
        tag_names = meta.get("tag_names")
        nw, nt = a["word_counts"].shape[0], len(tag_names or [])
        checks = [
            (isinstance(tag_names, list), "meta.json lacks tag_names"),
            (len(trie) == nw == meta.get("n_words"), f"trie has {len(trie)} words, arrays {nw}"),
            (a["transitions"].shape == (nt + 2, nt + 2), "transitions shape does not match tag_names"),
            (a["tag_counts"].shape == (nt,), "tag_counts shape does not match tag_names"),
            (a["emit_indptr"].shape == (nw + 1,), "emit_indptr shape"),
            (a["emit_tags"].shape == a["emit_counts"].shape, "emit_tags/emit_counts shapes differ"),
            (a["bigram_keys"].shape == a["bigram_counts"].shape, "bigram arrays shapes differ"),
            (a["char_codes"].shape == a["char_counts"].shape, "char arrays shapes differ"),
        ]
        for ok, reason in checks:
            if not ok:
                raise ModelFormatError(npz, reason)
        if nw and int(a["emit_indptr"][-1]) != a["emit_tags"].shape[0]:
            raise ModelFormatError(npz, "emit_indptr does not end at len(emit_tags)")
        n_sent = meta.get("n_sentences", 0)
        if not isinstance(n_sent, int) or n_sent < 0:
            raise ModelFormatError(Path(directory) / "meta.json", f"n_sentences {n_sent!r} is not a count")
        df, fdf = _load_doc_freqs(a, npz, a["word_counts"], n_sent)
        cb, tri = _load_bmes(a, npz, a["char_counts"], n_sent)
        stats = cls(trie, a["word_counts"].astype(np.int64), a["bigram_keys"].astype(np.int64),
                    a["bigram_counts"].astype(np.int64), a["char_codes"].astype(np.int32),
                    a["char_counts"].astype(np.int64), tag_names, a["tag_counts"].astype(np.int64),
                    a["transitions"].astype(np.int64), a["emit_indptr"].astype(np.int64),
                    a["emit_tags"].astype(np.int32), a["emit_counts"].astype(np.int64),
                    n_sent, {k: v for k, v in meta.items() if k == "sources"}, df, fdf, cb, tri)
        stats._loaded_from = Path(directory)
        return stats

    def __repr__(self) -> str:
        return (f"CorpusStats(n_words={self.n_words}, total_words={self.total_words}, "
                f"n_tags={len(self.tag_names)}, n_sentences={self.n_sentences})")


def _doc_freqs(tok_doc: np.ndarray, tok_word: np.ndarray, n: int) -> np.ndarray:
    """Number of distinct documents per id: ``tok_doc`` / ``tok_word`` give each token's document and id.

    One O(tokens) Numba pass (``np.unique`` over document*n+id keys took 1.7 s on PD98 with numpy 2.4).
    """
    return _count_docs(np.ascontiguousarray(tok_doc, np.int64), np.ascontiguousarray(tok_word, np.int64), n)


def _folded_doc_freqs(wid: dict, remap, tok_doc, tok_word, doc_freqs) -> np.ndarray:
    """Per word id, the document frequency of its width-fold class (see :attr:`CorpusStats.folded_doc_freqs`).

    Only words whose fold class has several members differ from ``doc_freqs``; their tokens are
    recounted with the class id in place of the word id.
    """
    out = doc_freqs.copy()
    groups: dict[str, set[int]] = {}                     # folded form -> provisional ids (``wid``)
    for w, k in wid.items():
        f = fold_key(w)
        if f != w:
            g = groups.setdefault(f, set())
            g.add(k)
            j = wid.get(f)
            if j is not None:
                g.add(j)
    groups = {f: g for f, g in groups.items() if len(g) > 1}
    if not groups:
        return out
    cls_of = np.full(len(wid), -1, np.int64)             # trie id -> class id (-1: alone)
    for c, g in enumerate(groups.values()):
        cls_of[remap[list(g)]] = c
    tok_cls = cls_of[tok_word]
    hit = tok_cls >= 0
    class_df = _doc_freqs(tok_doc[hit], tok_cls[hit], len(groups))
    members = cls_of >= 0
    out[members] = class_df[cls_of[members]]
    return out


def _load_doc_freqs(a: dict, npz: Path, word_counts: np.ndarray, n_docs: int):
    """Validated ``(doc_freqs, folded_doc_freqs)`` of a bundle, or ``(None, None)`` for an older bundle."""
    have = [k for k in ("doc_freqs", "folded_doc_freqs") if k in a]
    if not have:
        return None, None
    if len(have) == 1:
        raise ModelFormatError(npz, f"has {have[0]!r} without its partner array")
    df, fdf = a["doc_freqs"], a["folded_doc_freqs"]
    nw = word_counts.shape[0]
    for k, v in (("doc_freqs", df), ("folded_doc_freqs", fdf)):
        if v.dtype.kind != "i" or v.shape != (nw,):
            raise ModelFormatError(npz, f"array {k!r} has dtype {v.dtype} shape {v.shape}, "
                                        f"expected integers of shape ({nw},)")
    if nw and (df.min() < 1 or np.any(df > word_counts) or np.any(fdf < df) or fdf.max() > n_docs):
        raise ModelFormatError(npz, "document frequencies inconsistent with word counts / n_sentences")
    return df.astype(np.int64), fdf.astype(np.int64)


def _char_bmes(words: list[str], word_counts: np.ndarray, tok_word: np.ndarray, ends: np.ndarray):
    """``(char_codes, char_bmes, bmes_trigrams)`` (see :class:`CorpusStats`).

    ``words`` are the types by provisional id, ``word_counts`` their counts, ``tok_word`` the
    provisional id of every token in corpus order and ``ends`` the sentence-end mask of the
    stream they were taken from (``tok_word = stream[~ends]``). Character counts come from the
    word types (a type's characters times its count: ~150 k characters for PD98 instead of 1.8 M
    per-token updates); label trigrams need the token order, so they are counted over the
    corpus-long label sequence (int8, one byte per character) by :func:`_count_label_trigrams`.
    """
    from .._tagset_kernels import bmes_of_bounds
    from ..text import to_codes

    lens = np.fromiter(map(len, words), np.int64, len(words))
    type_codes = to_codes("".join(words))
    type_labels = bmes_of_bounds(np.r_[0, np.cumsum(lens)], np.zeros(type_codes.shape[0], np.int8))
    codes, inv = np.unique(type_codes, return_inverse=True)
    char_bmes = np.zeros((codes.shape[0], 4), np.int64)
    np.add.at(char_bmes, (inv.ravel(), type_labels), np.repeat(word_counts, lens))
    bounds = np.zeros(tok_word.shape[0] + 1, np.int64)
    np.cumsum(lens[tok_word], out=bounds[1:])
    labels = bmes_of_bounds(bounds, np.zeros(int(bounds[-1]), np.int8))
    sent_end = bounds[np.cumsum(~ends)[ends]]           # character offset where each sentence ends
    trigrams = _count_label_trigrams(labels, np.ascontiguousarray(sent_end, np.int64))
    return codes.astype(np.int32), char_bmes, trigrams


def _load_bmes(a: dict, npz: Path, char_counts: np.ndarray, n_sentences: int):
    """Validated ``(char_bmes, bmes_trigrams)`` of a bundle, or ``(None, None)`` for an older bundle."""
    have = [k for k in _BMES_ARRAYS if k in a]
    if not have:
        return None, None
    if len(have) == 1:
        raise ModelFormatError(npz, f"has {have[0]!r} without its partner array")
    cb, tri = a["char_bmes"], a["bmes_trigrams"]
    for k, v, shape in (("char_bmes", cb, (char_counts.shape[0], 4)), ("bmes_trigrams", tri, (6, 6, 6))):
        if v.dtype.kind not in "iu" or v.shape != shape:
            raise ModelFormatError(npz, f"array {k!r} has dtype {v.dtype} shape {v.shape}, "
                                        f"expected integers of shape {shape}")
    bi = tri.sum(axis=0)
    if (cb.size and cb.min() < 0) or tri.min() < 0 or not np.array_equal(cb.sum(axis=1), char_counts) \
            or bi.sum() != int(char_counts.sum()) + int(bi[BMES_BOS].sum()) or bi[BMES_BOS].sum() > n_sentences:
        raise ModelFormatError(npz, "BMES counts inconsistent with char_counts / n_sentences")
    return cb.astype(np.int64), tri.astype(np.int64)


def _source_info(path, fmt: str) -> dict:
    p = Path(path)
    h = hashlib.sha256()
    with open(p, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return {"path": p.name, "format": fmt, "sha256": h.hexdigest()}

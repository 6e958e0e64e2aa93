"""cnlp: classical (non-neural) Chinese NLP. The one-call API lives here.

Segmentation
    :func:`segment` (a list of words; ``"".join(words) == text``), :func:`cut` (a generator, as
    jieba's ``cut``) / :func:`lcut` (a list), :func:`tokenize` (words with offsets),
    :func:`cut_for_search`, :func:`segment_many` (many lines, ``n_jobs``), :func:`get_segmenter`.
User dictionary (process-wide)
    :func:`add_word`, :func:`del_word`, :func:`load_user_dict` (a path or an open file). The
    per-call ``user_dict=`` of :func:`segment`, :func:`tag`, :func:`ner` ... is a path to a
    dictionary file, a :class:`cnlp.dictionary.UserDictionary` or a list of words
    (``user_dict=["和服"]``); a string is always a path.
Tagging, entities, parsing
    :func:`pos_tag`, :func:`tag` (``[(word, PKU tag)]``), :func:`analyze` (a :class:`Doc`),
    :func:`ner` (a list of :class:`Entity`), :func:`add_entity`, :func:`del_entity`,
    :func:`load_entity_dict`, :func:`parse` (a :class:`Doc` with UD heads and relations, one tree
    per sentence), :class:`Pipeline`, :func:`load` (any model directory).
Extraction
    :func:`keywords`, :func:`summarize`, :func:`discover_words`, :func:`default_stopwords`.
Errors
    :class:`CnlpError` and its subclasses :class:`CorpusFormatError`, :class:`ModelFormatError`,
    :class:`NotFittedError`.

Text classification is :mod:`cnlp.classify`; the command line is ``cnlp`` (:mod:`cnlp.cli`).

>>> from cnlp import segment
>>> "".join(segment("商品和服务")) == "商品和服务"
True
"""
from __future__ import annotations

import threading
from collections import deque
from typing import Iterable, Iterator

from . import _jit  # noqa: F401  (first: chooses Numba's cache directory before any kernel is defined)
from . import _locks  # noqa: F401  (fork safety: registered before any thread can be inside a first call)
from .errors import CnlpError, CorpusFormatError, ModelFormatError, NotFittedError, check_str
from . import registry

__version__ = "0.1.0"
__all__ = ["segment", "cut", "lcut", "tokenize", "cut_for_search", "segment_many", "get_segmenter", "add_word",
           "del_word", "load_user_dict", "warmup", "pos_tag", "tag", "analyze", "ner", "add_entity", "del_entity",
           "parse", "load_entity_dict", "load", "get_pos_tagger", "get_ner", "Doc", "Entity", "Pipeline", "TagSet",
           "discover_words", "keywords", "summarize", "default_stopwords", "CnlpError", "CorpusFormatError",
           "ModelFormatError", "NotFittedError", "__version__"]

_lock = threading.RLock()
_user_dict = None          # the process-wide user dictionary behind add_word / del_word
_path_dicts: dict = {}     # user_dict given as a path -> (mtime, UserDictionary)
_per_call: dict = {}       # (role, id(component), id(user dictionary)) -> (component, dictionary, derived)
_PER_CALL_MAX = 64


def _derived(role: str, base, ud, build):
    """``build()`` for ``base`` under the user dictionary ``ud``, kept while both are alive in a small
    table (a per-call ``user_dict`` given again reuses the segmenter / pipeline built for it)."""
    key = (role, id(base), id(ud))
    hit = _per_call.get(key)
    if hit is not None and hit[0] is base and hit[1] is ud:
        return hit[2]
    out = build()
    if len(_per_call) >= _PER_CALL_MAX:
        _per_call.clear()
    _per_call[key] = (base, ud, out)
    return out


#: algorithm (None: the default) -> the segmenter :func:`get_segmenter` returned, the object
#: :mod:`cnlp.models` caches (kept here too so that a call costs one dict lookup)
_segmenters: dict = {}


def _default_user_dict():
    global _user_dict
    if _user_dict is None:
        with _lock:
            if _user_dict is None:
                from .dictionary import UserDictionary
                _user_dict = UserDictionary()
    return _user_dict


def get_segmenter(algorithm: str | None = None):
    """The shared default segmenter for ``algorithm`` (loaded once, thread-safe).

    It decodes with the process-wide user dictionary that :func:`add_word` edits.
    """
    seg = _segmenters.get(algorithm)
    if seg is not None:                  # the per-call fast path (one dict lookup)
        return seg
    from . import models
    name = registry.DEFAULT_SEGMENTER if algorithm is None else algorithm
    if not isinstance(name, str):
        registry.resolve(registry.SEGMENTERS, name, "algorithm")         # the ValueError listing the names
    entry = "segment" if name in ("crf", "perceptron") else None            # the tagging kernels' notice
    seg = models.shared(("default segmenter", name), lambda: _announce(entry, lambda: registry.resolve(
        registry.SEGMENTERS, name, "algorithm")(user_dict=_default_user_dict())))
    _segmenters[algorithm] = seg
    return seg


def _announce(entry, load):
    """``load()``, after the one-line stderr notice of :func:`cnlp._jit.notice` when the
    first call of ``entry`` will compile its kernels (a cold Numba cache)."""
    if entry is not None:
        _jit.notice(entry)
    return load()


def _with_user_dict(seg, user_dict):
    if user_dict is None:
        return seg
    import os
    if isinstance(user_dict, (str, os.PathLike)):
        from .dictionary import UserDictionary
        key = os.fspath(user_dict)
        try:
            mtime = os.stat(key).st_mtime_ns
        except OSError as e:
            raise type(e)(e.errno, f"cannot open user dictionary {key!r} ({e.strerror}): a str user_dict is "
                                   f"read as the path of a dictionary file; to give words, pass a list "
                                   f"(user_dict=[{key!r}])", key) from None
        with _lock:
            hit = _path_dicts.get(key)
            if hit is None or hit[0] != mtime:
                hit = (mtime, UserDictionary.load(key))
                _path_dicts[key] = hit
        user_dict = hit[1]
    from .dictionary import as_user_dictionary, layered
    ud = layered(_default_user_dict(), as_user_dictionary(user_dict))
    return _derived("segmenter", seg, ud, lambda: seg.with_user_dict(ud))


def segment(text: str, *, algorithm: str | None = None, user_dict=None, standard: str | None = None,
            mode: str = "default") -> list[str]:
    """Segment ``text`` into a list of words (``"".join(words) == text`` always).

    Parameters
    ----------
    text : str
    algorithm : str, optional
        One of ``cnlp.registry.SEGMENTERS`` (``"fmm"``, ``"bmm"``, ``"bimm"``, ``"bigram"``,
        ``"hmm"``, ``"hmm2"``, ``"perceptron"``, ``"crf"``); default: ``registry.DEFAULT_SEGMENTER``,
        the model trained on several segmentation standards (see ``standard``).
    user_dict : UserDictionary, path or iterable of words, optional
        Extra user words for this call, layered over the process-wide ones of :func:`add_word`
        (for a word in both, this one's entry wins). Words without a mode are ``"prefer"`` words.
    standard : str, optional
        The segmentation standard to write (``"pku"``, ``"ctb"``, ``"weibo"``, ``"shared"`` for the
        default model; see docs/usage.md); default: the model's default standard. A segmenter
        trained on one standard writes only its own (``"pku"`` for the shipped PD98 models).
    mode : str
        ``"default"``; ``"search"`` / ``"full"``: the words of :func:`tokenize` in that mode
        (``"full"``: every dictionary word at every position, overlapping, as jieba's ``cut_all``).

    Raises
    ------
    TypeError
        ``text`` is not a ``str``.
    ValueError
        Unknown ``algorithm``, ``standard`` (the message lists the valid ones) or ``mode``.
    """
    check_str(text, "segment")
    if mode != "default":
        return [w for w, _, _ in tokenize(text, mode=mode, algorithm=algorithm, user_dict=user_dict,
                                          standard=standard)]
    return _with_user_dict(get_segmenter(algorithm), user_dict).with_standard(standard).segment(text)


def cut(text: str, *, algorithm: str | None = None, user_dict=None, standard: str | None = None) -> Iterator[str]:
    """The words of ``text`` as an iterator, to be used as jieba's ``cut`` generator is (``for w
    in cnlp.cut(text)``, ``" ".join(cnlp.cut(text))``); :func:`lcut` and :func:`segment` give the
    list. ``text`` is checked and segmented at the call, not when the iterator is read. jieba's ``cut_all`` is ``segment(text, mode="full")``; ``HMM`` has no counterpart: see
    ``docs/migrating-from-jieba.md``."""
    return iter(segment(text, algorithm=algorithm, user_dict=user_dict, standard=standard))


def lcut(text: str, *, algorithm: str | None = None, user_dict=None, standard: str | None = None) -> list[str]:
    """The words of ``text`` as a list, as jieba's ``lcut``: :func:`segment`."""
    return segment(text, algorithm=algorithm, user_dict=user_dict, standard=standard)


def tokenize(text: str, *, mode: str = "default", algorithm: str | None = None,
             user_dict=None, standard: str | None = None) -> Iterator[tuple[str, int, int]]:
    """Iterate over ``(word, start, end)`` for each word, with ``text[start:end] == word``.

    ``mode="search"`` also gives, before each word of three or more characters, the dictionary
    words (two or more characters, user words included) inside it, ordered by start then length:
    ``("中华", 0, 2), ("人民", 2, 4), ..., ("中华人民共和国", 0, 7)``. The words of the default mode are
    all there and still cover ``text`` exactly; the sub-words are extra. ``mode="full"``: every
    dictionary word (two or more characters, user words included) at every position, overlapping,
    and the characters no such word covers, by start then end (jieba's ``cut_all``).
    """
    check_str(text, "tokenize")
    return _with_user_dict(get_segmenter(algorithm), user_dict).with_standard(standard).tokenize(text, mode=mode)


def cut_for_search(text: str, *, algorithm: str | None = None, user_dict=None,
                   standard: str | None = None) -> list[str]:
    """The words of ``tokenize(text, mode="search")`` as a list of strings (jieba's
    ``lcut_for_search``): each long word preceded by the dictionary words inside it."""
    check_str(text, "cut_for_search")
    return [w for w, _, _ in tokenize(text, mode="search", algorithm=algorithm, user_dict=user_dict,
                                      standard=standard)]


def segment_many(lines: Iterable[str], *, algorithm: str | None = None, user_dict=None,
                 n_jobs: int | None = 1, chunk_size: int = 256, standard: str | None = None) -> Iterator[list[str]]:
    """Segment each line of ``lines`` in order (generator; one result per line).

    A line terminator (``\\n``, ``\\r\\n``, ``\\r``) at the end of a line is never segmented
    with the line's text: it comes back as its own last token, so ``segment_many(open(path))`` gives
    the words ``cnlp segment path`` gives and ``"".join(words) == line`` still holds.
    ``n_jobs`` > 1 (None: one per core) segments on that many worker processes, each loading the
    model once (see :mod:`cnlp.batch`); the process-wide user words and ``user_dict`` go with them.
    Lines are read up to ``chunk_size`` at a time and decoded together (the same words as
    :func:`segment` line by line); ``chunk_size=1`` answers each line of an interactive stream at once.
    ``standard``: as for :func:`segment`.
    """
    if isinstance(lines, (str, bytes, bytearray)):
        raise TypeError(f"segment_many() expects an iterable of str (lines), got a single {type(lines).__name__}")
    seg = _with_user_dict(get_segmenter(algorithm), user_dict).with_standard(standard)
    return _segment_many(seg, iter(lines), algorithm, n_jobs, chunk_size, standard)


def _segment_many(seg, lines, algorithm, n_jobs, chunk_size, standard=None):
    if n_jobs == 1:
        def run(it):                               # many lines per kernel call, read lazily
            return seg.segment_many(it, chunk_size=chunk_size)
    else:
        from .batch import AnnotatorSpec, imap_ordered
        ud = seg.user_dict
        spec = AnnotatorSpec("segment", algorithm=algorithm, user_words=tuple(ud.items()) if ud is not None else (),
                             standard=standard)

        def run(it):
            return imap_ordered(spec, it, n_jobs=n_jobs, chunk_size=chunk_size)
    split = ((line, None) if type(line) is not str else _split_terminator(line) for line in lines)
    pending: deque = deque()

    def bodies():
        for body, term in split:
            pending.append(term)
            yield body
    for words in run(bodies()):
        term = pending.popleft()
        yield words + [term] if term else words


def _split_terminator(line: str) -> tuple[str, str]:
    if line.endswith("\r\n"):
        return line[:-2], "\r\n"
    if line.endswith(("\n", "\r")):
        return line[:-1], line[-1]
    return line, ""


def add_word(word: str, freq: int | None = None, pos: str | None = None, *, mode: str | None = None) -> None:
    """Add ``word`` to the process-wide user dictionary used by :func:`segment` and the pipelines.

    ``mode``: ``"prefer"`` (the default for a new word) — the word appears wherever it occurs
    unless the model puts a word boundary across one of its edges with a clear margin (the words the
    model cut inside it are merged); ``"force"`` — it always appears (unless it crosses another
    forced word); ``"suggest"`` — a bias towards the word that grows with ``freq``.
    ``mode=None`` on a word already added keeps its mode. ``pos`` is the tag :func:`pos_tag` gives it:
    a PKU tag (``cnlp.pos.tags.PKU_TAGS``) or a label of your own (``"动作"``, shown as it is); a
    malformed one (empty, whitespace, ``/``) raises ValueError and leaves the word as it was.
    ``freq=None`` / ``pos=None`` keep what the word had.
    """
    check_str(word, "add_word")
    _default_user_dict().add_word(word, freq=freq, pos=pos, mode=mode)


def del_word(word: str) -> None:
    """Remove ``word`` from the process-wide user dictionary (no error if absent)."""
    check_str(word, "del_word")
    _default_user_dict().del_word(word)


def load_user_dict(path) -> None:
    """Load a user dictionary file (jieba's ``word [freq] [pos]``, HanLP's ``word pos freq [pos freq
    ...]``, detected per file, each with an optional ``force|prefer|suggest`` column; a tab after a
    word with spaces) into the process-wide user dictionary. Entries without a
    mode column are ``prefer`` words (a word already added keeps its mode). ``path`` is a path or
    an open file object (binary, UTF-8, or text), as jieba's ``load_userdict`` accepts; the file
    is not closed."""
    _default_user_dict().update_from_file(path)


def warmup(algorithms: Iterable[str] | None = None) -> None:
    """Load the default models and compile their Numba kernels now rather than on first use."""
    for name in algorithms or [registry.DEFAULT_SEGMENTER]:
        get_segmenter(name).warmup()


# ------------------------------------------------------------------ tagging and documents
def __getattr__(name):
    if name == "Doc":
        from .doc import Doc
        return Doc
    if name == "Entity":
        from .doc import Entity
        return Entity
    if name == "Pipeline":
        from .pipeline import Pipeline
        return Pipeline
    if name == "TagSet":
        from .tagset import TagSet
        return TagSet
    raise AttributeError(f"module 'cnlp' has no attribute {name!r}")


def load(directory):
    """Load any cnlp model directory (segmenter, POS tagger, dictionary, ...) by the kind and task
    recorded in its ``meta.json``; ``ModelFormatError`` naming the file when it is not one."""
    return registry.load(directory)


def get_pos_tagger():
    """The shared default POS tagger, with the process-wide user dictionary (POS of user words)."""
    from . import models
    return models.shared(("default pos", None), lambda: models.pos_tagger(user_dict=_default_user_dict()))


def pos_tag(words) -> list[str]:
    """One PKU POS tag per word of ``words`` (a list of str), e.g. ``["r", "v", "ns"]``.

    Raises ``TypeError`` for a non-list or a non-``str`` item (naming its position); an empty
    list gives an empty list. Words added with :func:`add_word` and a ``pos`` get that tag.
    """
    return get_pos_tagger().predict(words)


def tag(text: str, *, algorithm: str | None = None, user_dict=None) -> list[tuple[str, str]]:
    """Segment ``text`` and tag the words: ``[(word, tag), ...]``; whitespace tokens are dropped."""
    check_str(text, "tag")
    return [(w, t) for w, t in _pipeline("tag", algorithm, user_dict)(text).tagged() if not w.isspace()]


def _pipeline(task: str, algorithm=None, user_dict=None):
    """The pipeline of ``task`` (:func:`cnlp.pipeline.build_pipeline`) over the default components
    and the process-wide dictionaries; built once (per ``user_dict`` given again, see :func:`_derived`)."""
    from . import models
    from .pipeline import build_pipeline
    if task == "parse":
        return models.shared(("default pipeline", "parse", None),
                             lambda: _announce("parse", lambda: build_pipeline("parse")))
    name = registry.PKU_SEGMENTER if task == "ner" or algorithm is None else algorithm

    def build(seg):
        seg = models.pku_words(seg)                  # the POS tagger and the recognizer learned PKU words
        pos = rec = None
        if task in ("tag", "analyze"):
            pos = get_pos_tagger()
            if seg.user_dict is not _default_user_dict():
                pos = pos.with_user_dict(seg.user_dict)
        if task in ("ner", "analyze"):
            rec = get_ner()
            if seg.user_dict is not _default_user_dict():
                rec = rec.with_dictionaries(entities=rec.entities, user_dict=seg.user_dict)
        return _announce("ner" if task in ("ner", "analyze") else "tag",
                         lambda: build_pipeline(task, segmenter=seg, pos=pos, ner=rec))
    if user_dict is None:
        return models.shared(("default pipeline", task, name), lambda: build(get_segmenter(name)))
    seg = _with_user_dict(get_segmenter(name), user_dict)
    return _derived(task, seg, seg.user_dict, lambda: build(seg))


def analyze(text: str, *, algorithm: str | None = None, user_dict=None, ner: bool = True):
    """Run the default pipeline on ``text``: segmenter, POS tagger and (``ner=True``) entity
    recognizer; returns a :class:`cnlp.doc.Doc` (``doc.tagged()``, ``doc.ents``, ``doc.to_json()``)."""
    check_str(text, "analyze")
    return _pipeline("analyze" if ner else "tag", algorithm, user_dict)(text)


# ------------------------------------------------------------------ dependency parsing
def parse(text: str, *, split: bool = True):
    """Parse ``text`` with the Universal Dependencies pipeline (UD segmenter, UPOS + XPOS tagger,
    arc-hybrid parser); returns a :class:`cnlp.doc.Doc` whose tokens have ``pos`` (UPOS),
    ``xpos``, ``head`` (1-based over the Doc's tokens, 0 = root) and ``deprel``;
    ``doc.to_conllu()`` writes CoNLL-U, one sentence per sentence of the text.

    The text is split into sentences (after 。！？… and their full/half-width forms, closing
    quotes and brackets kept with the sentence, and at line ends; not at ；, which joins clauses
    within one sentence in the UD treebanks the parser learned from); each is parsed on its own, so
    every sentence has exactly one root (``doc.sents``, ``doc.sent_spans``) and the time is linear
    in the text. ``split=False`` parses the text as one sentence as given.

    UD words follow the Chinese UD treebanks' segmentation, which differs from :func:`segment`'s
    (PKU) standard."""
    check_str(text, "parse")
    return _pipeline("parse")(text, split=bool(split))


# ------------------------------------------------------------------ named entities
_entity_dict = None        # the process-wide entity dictionary behind add_entity / del_entity


def _default_entity_dict():
    global _entity_dict
    if _entity_dict is None:
        with _lock:
            if _entity_dict is None:
                from .entities.recognizer import EntityDictionary
                _entity_dict = EntityDictionary()
    return _entity_dict


def get_ner():
    """The shared default entity recognizer, with the process-wide entity dictionary
    (:func:`add_entity`) and user dictionary (:func:`add_word`: no entity crosses a forced word)."""
    from . import models
    return models.shared(("default ner", None), lambda: models.entity_recognizer(
        entities=_default_entity_dict(), user_dict=_default_user_dict()).with_expressions())


def ner(text: str, *, user_dict=None) -> list:
    """Person, place and organization names and time and number expressions in ``text``: a list of
    :class:`Entity` objects (``cnlp.Entity``, a named tuple ``(text, type, start, end)``) in text
    order, with ``text[start:end] == entity.text`` and ``type`` one of ``"PER"``, ``"LOC"``,
    ``"ORG"``, the expression types ``"DATE"``, ``"TIME"``, ``"MONEY"``, ``"PERCENT"``, ``"NUMBER"``
    (``entity.value``: the normalised value, :mod:`cnlp.expressions`) or a type of your own from
    :func:`add_entity`.

    Entities added with :func:`add_entity` are applied inside decoding (``force``: always one
    entity; ``suggest``: favoured); no entity crosses a word forced with :func:`add_word`.
    """
    check_str(text, "ner")
    return _pipeline("ner", None, user_dict)(text).ents


def add_entity(text: str, type: str, *, mode: str = "suggest") -> None:
    """Add an entity to the process-wide entity dictionary used by :func:`ner` and :func:`analyze`.

    ``mode="force"`` makes every occurrence of ``text`` one entity of ``type``;
    ``mode="suggest"`` only favours it. ``type`` may be one the model does not have (``"SCHOOL"``:
    1 to 32 letters, digits or ``_``, not starting with a digit; ValueError otherwise).
    """
    _default_entity_dict().add_entity(text, type, mode=mode)


def del_entity(text: str) -> None:
    """Remove an entity from the process-wide entity dictionary (no error if absent)."""
    check_str(text, "del_entity")
    _default_entity_dict().del_entity(text)


def load_entity_dict(path) -> None:
    """Load a ``text TYPE [force|suggest]`` file into the process-wide entity dictionary."""
    _default_entity_dict().update_from_file(path)


# ------------------------------------------------------------------ extraction (imported lazily)
# The library functions of cnlp.extract receive their segmenter, dictionary and IDF table; these
# one-call functions give them the shipped ones (cnlp.models) for those not given.
def _extraction_components(kwargs: dict, *, idf_needed: bool) -> dict:
    """``kwargs`` with ``segmenter`` (None or an algorithm name -> :func:`get_segmenter`),
    ``dictionary`` (None -> the shipped one) and, when ``idf_needed``, ``idf`` (None -> the shipped
    table) filled in."""
    from . import models
    out = dict(kwargs)
    seg = out.get("segmenter")
    if seg is None or isinstance(seg, str):
        out["segmenter"] = get_segmenter(seg)
    if out.get("dictionary") is None:
        out["dictionary"] = models.dictionary()
    if idf_needed and out.get("idf") is None:
        out["idf"] = models.idf_table()
    return out


#: the defaults of :func:`cnlp.extract.keywords.keywords` (``DEFAULT_POS``) and
#: :mod:`cnlp.extract.discover`, written out so that ``import cnlp`` does not import them (a test
#: checks they are the same)
_KEYWORD_POS = frozenset({"n", "nr", "ns", "nt", "nz", "nx", "vn", "an", "j", "i", "l", "v"})


def discover_words(texts: Iterable[str], *, max_len: int = 4, min_freq: int = 5, min_entropy: float = 1.0,
                   min_mi: float = 2.0, top: int | None = None, exclude=None) -> list:
    """New words in an iterable of texts, best first: a list of
    :class:`cnlp.extract.discover.NewWord`; see :func:`cnlp.extract.discover.discover_words` for
    the parameters. ``exclude=True`` drops the words of the shipped dictionary
    (:func:`cnlp.models.dictionary`)."""
    from .extract.discover import discover_words as _discover
    if exclude is True:
        from . import models
        exclude = models.dictionary()
    return _discover(texts, max_len=max_len, min_freq=min_freq, min_entropy=min_entropy, min_mi=min_mi, top=top,
                     exclude=exclude)


def keywords(text: str, top_k: int | None = 10, *, algorithm: str = "tfidf", pos=_KEYWORD_POS, stopwords=None,
             with_weight: bool = False, window: int = 5, idf=None, segmenter=None, dictionary=None) -> list:
    """Keywords of ``text`` (``algorithm="tfidf"`` or ``"textrank"``): a list of words, or of
    ``(word, weight)`` with ``with_weight=True``; see :func:`cnlp.extract.keywords.keywords` for
    the parameters (``pos=None``: no POS filter).

    ``segmenter`` (default: :func:`get_segmenter`; an algorithm name is accepted), ``dictionary``
    (default: the shipped one) and ``idf`` (TF-IDF; default: the shipped table) are filled in when
    not given."""
    from .extract.keywords import keywords as _keywords
    kw = _extraction_components(dict(idf=idf, segmenter=segmenter, dictionary=dictionary),
                                idf_needed=algorithm == "tfidf")
    return _keywords(text, top_k=top_k, algorithm=algorithm, pos=pos, stopwords=stopwords, with_weight=with_weight,
                     window=window, **kw)


def summarize(text: str, top_k: int | None = 3, *, similarity: str = "overlap", pos=None, stopwords=None,
              with_weight: bool = False, d: float = 0.85, idf=None, segmenter=None, dictionary=None) -> list:
    """Key sentences of ``text`` in document order; see :func:`cnlp.extract.summarize.summarize`
    for the parameters.

    ``segmenter``, ``dictionary`` and (``similarity="bm25"``) ``idf`` are filled in as in
    :func:`keywords`."""
    from .extract.summarize import summarize as _summarize
    kw = _extraction_components(dict(idf=idf, segmenter=segmenter, dictionary=dictionary),
                                idf_needed=similarity == "bm25")
    return _summarize(text, top_k=top_k, similarity=similarity, pos=pos, stopwords=stopwords,
                      with_weight=with_weight, d=d, **kw)


# cnlp.classify's estimators use this default segmenter when given segmenter=None (the package sits
# below the front and fetches nothing; importing it does not load scikit-learn)
from .classify import default as _classify_default  # noqa: E402

_classify_default.register(get_segmenter)


def default_stopwords() -> frozenset:
    """The default stopwords of :func:`keywords` and :func:`summarize`: the function words of the
    shipped dictionary (:func:`cnlp.extract.keywords.default_stopwords`); extend with
    ``cnlp.default_stopwords() | {...}``."""
    from . import models
    from .extract.keywords import default_stopwords as _default_stopwords
    return _default_stopwords(models.dictionary())


def __dir__():
    """The public API (``__all__``) and the submodules: no imported helpers."""
    return sorted(set(__all__) | {n for n, v in globals().items() if not n.startswith("_")
                                  and type(v) is type(registry) and v.__name__.startswith(__name__ + ".")})

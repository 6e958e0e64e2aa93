"""The PKU part-of-speech tag set of People's Daily 1998-01 (re-exported by :mod:`cnlp.pos.tags`).

:data:`PKU_TAGS` lists exactly the 44 tags that occur in ``pd1998/199801.txt`` (counted with
:func:`cnlp.corpus.readers.read_pd98`, compounds flattened), in ``sorted()`` order, which is
also the order of :attr:`cnlp.corpus.stats.CorpusStats.tag_names` built from that file. Two of
them (``na``, ``vvn``) occur once each and are annotation errors of the corpus, kept because a
model trained on the file can emit them. The counts in the comments are token counts in the
whole file (19,484 lines, 1,121,447 tokens).
"""
from __future__ import annotations

__all__ = ["PKU_TAGS", "check_pos", "check_tag", "is_pku_tag", "MAX_TAG_LEN"]

PKU_TAGS: tuple[str, ...] = (
    "Ag",   # adjective morpheme (bound adjectival character, e.g. 奇)            321
    "Bg",   # distinguishing-word morpheme (e.g. 橙)                              8
    "Dg",   # adverb morpheme (e.g. 甚)                                           135
    "Mg",   # numeral morpheme (e.g. 甲, 乙, 寅)                                  7
    "Ng",   # noun morpheme (bound nominal character, e.g. 讯)                    4,562
    "Rg",   # pronoun morpheme (e.g. 予, 兹)                                      10
    "Tg",   # time morpheme (e.g. 春, 晨)                                         496
    "Vg",   # verb morpheme (bound verbal character, e.g. 摄)                     1,749
    "Yg",   # modal-particle morpheme (耳)                                        1
    "a",    # adjective                                                           34,473
    "ad",   # adjective used adverbially (顺利, 积极)                             5,933
    "an",   # adjective used as a noun (繁荣, 稳定)                               2,837
    "b",    # distinguishing word, non-predicative adjective (大型, 共同)         8,715
    "c",    # conjunction                                                         25,479
    "d",    # adverb                                                              47,811
    "e",    # interjection                                                        27
    "f",    # locative / direction word (上, 之际)                                17,201
    "h",    # prefix (非, 准)                                                     47
    "i",    # idiom (chengyu)                                                     5,033
    "j",    # abbreviation (一国两制, 通胀)                                       10,323
    "k",    # suffix (们, 者)                                                     928
    "l",    # fixed expression (发展中国家, 稳步前进)                             6,015
    "m",    # numeral                                                             41,370
    "n",    # common noun                                                         236,810
    "na",   # (annotation error in the corpus: one token, 镇国寺)                 1
    "nr",   # person name (surname and given name are separate tokens)            35,267
    "ns",   # place name                                                          27,890
    "nt",   # organization name                                                   3,573
    "nx",   # non-Chinese string: letters, codes (Ａ, ＳＯＤ)                       459
    "nz",   # other proper noun (中华, 苗族)                                      3,701
    "o",    # onomatopoeia                                                        70
    "p",    # preposition                                                         39,925
    "q",    # classifier / measure word                                           24,244
    "r",    # pronoun                                                             32,327
    "s",    # place word (海外, 国内)                                             3,836
    "t",    # time word (一九九八年, 新年)                                        20,680
    "u",    # auxiliary / structural particle (的, 了, 地)                        74,829
    "v",    # verb                                                                184,764
    "vd",   # verb used adverbially                                               528
    "vn",   # verb used as a noun (发展, 改革)                                    42,734
    "vvn",  # (annotation error in the corpus: one token, 面试)                   1
    "w",    # punctuation                                                         173,047
    "y",    # modal particle (吗, 呢)                                             1,889
    "z",    # descriptive / state word (优良, 实实在在)                           1,391
)

_TAGS = frozenset(PKU_TAGS)


def is_pku_tag(pos) -> bool:
    """True when ``pos`` is one of :data:`PKU_TAGS`."""
    return pos in _TAGS


def check_pos(pos: str, word: str) -> str:
    """``pos`` if it is a PKU tag; ValueError naming the word and where the tags are listed."""
    if pos not in _TAGS:
        raise ValueError(f"unknown POS tag {pos!r} for {word!r}: user words take a PKU tag "
                         f"(cnlp.pos.tags.PKU_TAGS, described in docs/usage.md), e.g. 'n', 'nz', 'v'")
    return pos


#: longest user tag accepted
MAX_TAG_LEN = 32


def check_tag(pos: str, word: str) -> str:
    """``pos`` if it can be a user word's tag: a PKU tag or a label of the user's own (``"动作"``,
    ``"nrt"``): a non-empty str of at most :data:`MAX_TAG_LEN` printable characters without
    whitespace or ``/`` (the separator of ``word/TAG`` output). ValueError naming the word otherwise."""
    if pos in _TAGS:
        return pos
    if not isinstance(pos, str) or not pos or len(pos) > MAX_TAG_LEN or "/" in pos \
            or any(c.isspace() for c in pos) or not pos.isprintable():
        raise ValueError(f"malformed POS tag {pos!r} for {word!r}: a tag is a PKU tag (cnlp.pos.tags.PKU_TAGS) or "
                         f"a label of your own of 1 to {MAX_TAG_LEN} printable characters without whitespace or '/'")
    return pos

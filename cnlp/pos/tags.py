"""The PKU part-of-speech tag set (:data:`PKU_TAGS`, defined with its provenance in
:mod:`cnlp.dictionary.tags`: user words carry these tags), the coarse mapping
(:func:`cnlp.evaluate.coarse`), both re-exported, and the input checks of the taggers.
"""
from __future__ import annotations

from ..dictionary.tags import PKU_TAGS  # noqa: F401  (defined on the dictionary floor: user words carry these tags)
from ..evaluate import coarse  # noqa: F401  (the coarse mapping lives with the evaluators that use it)

__all__ = ["PKU_TAGS", "coarse", "check_words"]


def check_words(words, func: str = "pos_tag") -> list[str]:
    """Validate a word sequence given to a tagger and return it as a list.

    Raises
    ------
    TypeError
        ``words`` is not a list or tuple (a ``str`` is refused: it is not a list of words), or an
        element is not a ``str``; the message names ``func`` and the element's 0-based position,
        e.g. ``"pos_tag() expects a list of str; item 3 is int"``.

    >>> check_words(("他", "说"))
    ['他', '说']
    """
    if not isinstance(words, (list, tuple)):
        hint = " (segment the text first)" if isinstance(words, str) else ""
        raise TypeError(f"{func}() expects a list of str, got {type(words).__name__}{hint}")
    for i, w in enumerate(words):
        if not isinstance(w, str):
            raise TypeError(f"{func}() expects a list of str; item {i} is {type(w).__name__}")
    return list(words)

"""Parser training data: jackknifed predicted tags."""
from __future__ import annotations

__all__ = ["jackknife_tags"]


def jackknife_tags(train, folds: int, **kw):
    """Each fold's UPOS as predicted (in its own treebank's style) by a tagger trained on the other
    folds (:func:`cnlp.parse.frontend.train_lexicon_tagger` with ``kw``; copies of the sentences)."""
    import copy
    from .frontend import train_lexicon_tagger
    out = [copy.copy(s) for s in train]
    for k in range(folds):
        rest = [s for i, s in enumerate(train) if i % folds != k]
        tbs = {s.treebank for s in rest}
        tagger = train_lexicon_tagger(rest, (), treebank=sorted(tbs)[0] if kw.get("treebank_features") else None,
                                      **kw)
        for i in range(k, len(train), folds):
            tb = out[i].treebank if out[i].treebank in tbs else None
            out[i].upos = tagger.predict(out[i].forms, treebank=tb)
    return out

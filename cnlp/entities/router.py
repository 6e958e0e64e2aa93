"""The domain router of a multi-corpus entity recognizer: which training corpus a text resembles.

A recognizer trained with a shared weight and one per corpus (:func:`cnlp.train.ner.train_ner`
with ``adapt``) decodes best with the copy of the corpus whose conventions the text follows
(news, social media, résumés). :class:`DomainRouter` picks it per text: a linear classifier over
the hashed folded character unigrams and bigrams and the social-media marks
(:func:`cnlp.text.markup`), trained as a multinomial logistic regression by averaged SGD on the
training sentences of each corpus (balanced). Scores are means over the text's features, so
short and long texts compare.
"""
from __future__ import annotations

import numpy as np

from ..text import _BMP_TABLE, to_codes
from ._kernels import route_features, route_scores

__all__ = ["DomainRouter"]


class DomainRouter:
    """``names`` (the domains), ``weights`` float32 (2**bits, K), ``bias`` float32 (K,)."""

    def __init__(self, names, weights, bias, *, bits: int):
        self.names = list(names)
        self.bits = int(bits)
        self.weights = np.ascontiguousarray(weights, np.float32)
        self.bias = np.ascontiguousarray(bias, np.float64).reshape(-1)
        K = len(self.names)
        if K < 2 or len(set(self.names)) != K:
            raise ValueError(f"a router needs two or more distinct domain names, got {self.names}")
        if not 8 <= self.bits <= 24:
            raise ValueError(f"router bits must be in [8, 24], got {self.bits}")
        if self.weights.shape != (1 << self.bits, K) or self.bias.shape != (K,):
            raise ValueError(f"router weights {self.weights.shape} / bias {self.bias.shape} do not fit "
                             f"{K} domains and {self.bits} bits")
        if not (np.isfinite(self.weights).all() and np.isfinite(self.bias).all()):
            raise ValueError("router weights must be finite")

    @classmethod
    def fit(cls, corpora, *, bits: int = 16, epochs: int = 5, lr: float = 0.5, l2: float = 1e-6,
            seed: int = 0) -> "DomainRouter":
        """From ``{name: [text, ...]}``: softmax regression by SGD over the texts of all corpora
        (each corpus sampled evenly: its texts repeated to the size of the largest), weights
        averaged over the updates."""
        names = list(corpora)
        K = len(names)
        X = [[route_features(to_codes(t), _BMP_TABLE, bits) for t in corpora[nm] if t] for nm in names]
        big = max(len(x) for x in X)
        rng = np.random.default_rng(seed)
        order = np.concatenate([np.stack([np.full(big, k), rng.permutation(np.resize(np.arange(len(X[k])), big))], 1)
                                for k in range(K)])
        W = np.zeros((1 << bits, K), np.float64)
        b = np.zeros(K)
        Wsum = np.zeros_like(W)
        bsum = np.zeros(K)
        steps = 0
        for _ in range(epochs):
            rng.shuffle(order)
            for k, i in order:
                ids = X[k][i]
                s = W[ids].mean(0) + b
                p = np.exp(s - s.max())
                p /= p.sum()
                p[k] -= 1.0
                g = lr * p
                np.subtract.at(W, ids, g / ids.shape[0] * 50.0)
                b -= g * 0.1
                # lazy averaging: accumulate the current weights every step would be O(V); use
                # the trick of summing updates weighted by the remaining steps instead
                steps += 1
                np.subtract.at(Wsum, ids, g / ids.shape[0] * 50.0 * steps)
                bsum -= g * 0.1 * steps
        Wavg = W - Wsum / max(steps, 1)
        bavg = b - bsum / max(steps, 1)
        return cls(names, Wavg.astype(np.float32), bavg, bits=bits)

    def scores(self, codes: np.ndarray) -> np.ndarray:
        return route_scores(np.ascontiguousarray(codes, np.int32), _BMP_TABLE, self.bits, self.weights, self.bias)

    def route(self, text: str, codes: np.ndarray | None = None) -> str:
        """The name of the domain ``text`` resembles most."""
        return self.names[int(np.argmax(self.scores(to_codes(text) if codes is None else codes)))]

    def arrays(self) -> dict:
        return {"router_weights": self.weights.astype(np.float16), "router_bias": self.bias}

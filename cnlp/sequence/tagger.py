"""The base of the taggers built on one :class:`cnlp.sequence.linear.LinearChainModel`.

:class:`LinearTagger` owns the composite bundle every such tagger saves (the segmenter of
:mod:`cnlp.segmentation.tagging`, the POS tagger, the entity recognizer, the UD UPOS tagger): its
sub-bundles (a feature dictionary, a lexicon, a first-stage or guide tagger) and the linear
model's own bundle with the tagger's meta.json fields, all written in one atomic directory;
and, on loading, the model class chosen by the bundle's kind (:data:`TAGGERS`).
"""
from __future__ import annotations

from pathlib import Path

from ..errors import ModelFormatError
from ..io import atomic_directory
from .crf import CRFTagger
from .perceptron import PerceptronTagger

__all__ = ["TAGGERS", "LinearTagger"]

#: bundle kind -> linear model class
TAGGERS = {"perceptron": PerceptronTagger, "crf": CRFTagger}


class LinearTagger:
    """Composite save / load of a tagger over one linear model.

    A subclass sets :attr:`task` (meta.json ``task``), returns its meta.json fields from
    :meth:`_bundle_meta`, writes its sub-bundles in :meth:`_save_parts`, and, if its model is not
    ``self.model``, overrides :attr:`linear_model`."""

    #: the ``task`` recorded in meta.json
    task: str = ""

    @property
    def linear_model(self):
        return self.model

    def _bundle_meta(self) -> dict:
        """The tagger's own meta.json fields (features, tag set ...)."""
        return {}

    def _save_parts(self, directory: Path, prune: float) -> None:
        """Write the sub-bundles into ``directory`` (before the model's bundle)."""

    def save(self, directory, *, meta: dict | None = None, prune: float = 1e-3) -> Path:
        """The sub-bundles and the model's bundle in ``directory``, written atomically
        (:func:`cnlp.io.atomic_directory`: a save that is killed leaves the previous model)."""
        with atomic_directory(directory) as d:
            self._save_parts(d, prune)
            self.linear_model.save(d, meta={"task": self.task, **self._bundle_meta(), **(meta or {})}, prune=prune)
        return Path(directory)

    @staticmethod
    def model_class(meta: dict, directory, task: str | None = None, what: str = ""):
        """The linear model class of the bundle's kind; with ``task``, the bundle must record that
        task (``what`` names it in the error)."""
        model_cls = TAGGERS.get(meta.get("kind"))
        path = Path(directory) / "meta.json"
        if task is None:
            if model_cls is None:
                raise ModelFormatError(path, f"holds a {meta.get('kind')!r} model, expected one of {sorted(TAGGERS)}")
        elif model_cls is None or meta.get("task") != task:
            raise ModelFormatError(path, f"holds a {meta.get('task')!r} {meta.get('kind')!r} model, "
                                         f"expected {what} ({sorted(TAGGERS)})")
        return model_cls

    @staticmethod
    def load_model(model_cls, directory, n_labels: int, n_features: int):
        """The linear model of the bundle in ``directory`` (float32 weights), checked against the
        tag set's ``n_labels`` and the features' ``n_features``."""
        return model_cls.load(directory, float32=True, n_labels=n_labels, n_features=n_features)

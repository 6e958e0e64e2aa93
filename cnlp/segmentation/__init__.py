"""Segmenters: one :class:`Segmenter` interface, one module per algorithm."""
from .base import Segmenter

__all__ = ["Segmenter"]

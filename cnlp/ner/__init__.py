"""Named entity recognition (person, place and organization names) over the segment → POS cascade."""
from .data import ENTITY_TYPES, read_bio, write_bio
from .recognizer import EntityDictionary, EntityRecognizer, default_ner, train_ner

__all__ = ["ENTITY_TYPES", "EntityRecognizer", "EntityDictionary", "default_ner", "train_ner", "read_bio", "write_bio"]

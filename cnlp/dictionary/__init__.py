"""Dictionaries: marisa-trie words with frequency/POS arrays, array tries for Numba, user layers."""
from .trie import Dictionary, build_trie_arrays, nb_prefix_matches, read_dictionary_text
from .user import (DEFAULT_MODE, FORCE, MODES, PREFER, SUGGEST, LayeredDictionary, UserDictionary,
                   as_user_dictionary, bmes_bias, bmes_mask, edge_bias, layered, merge_preferred, suggest_freq,
                   suggest_strength)

__all__ = ["Dictionary", "LayeredDictionary", "UserDictionary", "as_user_dictionary", "layered", "bmes_bias",
           "bmes_mask", "edge_bias", "merge_preferred", "suggest_strength", "build_trie_arrays", "nb_prefix_matches",
           "read_dictionary_text", "suggest_freq", "MODES", "DEFAULT_MODE", "FORCE", "PREFER", "SUGGEST"]

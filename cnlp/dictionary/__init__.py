"""Dictionaries: marisa-trie words with frequency/POS arrays, array tries for Numba, user layers."""
from .trie import Dictionary, build_trie_arrays, nb_prefix_matches, read_dictionary_text
from .user import MODES, LayeredDictionary, UserDictionary, as_user_dictionary, bmes_bias, bmes_mask, suggest_freq

__all__ = ["Dictionary", "LayeredDictionary", "UserDictionary", "as_user_dictionary", "bmes_bias", "bmes_mask",
           "build_trie_arrays", "nb_prefix_matches", "read_dictionary_text", "suggest_freq", "MODES"]

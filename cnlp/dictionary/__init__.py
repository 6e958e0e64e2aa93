"""Dictionaries: marisa-trie words with frequency/POS arrays, array tries for Numba, user layers."""
from .trie import Dictionary, build_trie_arrays, read_dictionary_text
from .user import MODES, UserDictionary, as_user_dictionary, bmes_mask

__all__ = ["Dictionary", "UserDictionary", "as_user_dictionary", "bmes_mask", "build_trie_arrays",
           "read_dictionary_text", "MODES"]

"""Corpus I/O (PD98, SIGHAN, char/tag, CoNLL-U readers and writers) and :class:`CorpusStats`."""
from .readers import (CONLLU_FIELDS, bmes_to_words, corpus_path, parse_pd98_line, read_conllu, read_pd98,
                      read_sighan, read_tagged_chars, words_to_bmes, write_conllu, write_pd98, write_sighan,
                      write_tagged_chars)
from .stats import CorpusStats

__all__ = ["CONLLU_FIELDS", "CorpusStats", "bmes_to_words", "corpus_path", "parse_pd98_line", "read_conllu",
           "read_pd98", "read_sighan", "read_tagged_chars", "words_to_bmes", "write_conllu", "write_pd98",
           "write_sighan", "write_tagged_chars"]

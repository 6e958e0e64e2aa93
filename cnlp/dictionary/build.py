"""``cnlp train dict``: build a :class:`Dictionary` bundle from a corpus or a word list."""
from __future__ import annotations


from .trie import Dictionary


def build_dictionary(paths: list[str], fmt: str = "pd98") -> Dictionary:
    """Dictionary from PD98 / SIGHAN corpora (word counts, POS distributions) or text dictionaries."""
    if fmt in ("pd98", "sighan"):
        from ..corpus.stats import CorpusStats
        from ..corpus.readers import read_pd98, read_sighan

        def stream():
            for p in paths:
                if fmt == "pd98":
                    yield from read_pd98(p)
                else:
                    for words in read_sighan(p):
                        yield [(w, None) for w in words]
        return Dictionary.from_stats(CorpusStats.build(stream()))
    entries = []
    from .trie import read_dictionary_text
    for p in paths:
        entries.extend(read_dictionary_text(p, format=fmt))
    return Dictionary.from_entries(entries)

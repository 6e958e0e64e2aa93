"""Information extraction: new-word discovery (:mod:`.discover`), TF-IDF / TextRank keywords and
key sentences (:mod:`.keywords`, IDF tables in :mod:`.idf`)."""

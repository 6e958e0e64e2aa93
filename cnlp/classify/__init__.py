"""Text classification: chi-square bag-of-words features and a ready text classifier."""

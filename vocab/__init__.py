"""Package data: the vocabularies built by ``scripts/build_vocab.py`` (see README.md)."""

"""RDF output: model → triples (graph), streaming writers (serialize)."""

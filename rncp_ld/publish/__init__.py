"""Publishing fiches: an embedded triple store, SPARQL Graph Store pushes, a static site and a server."""

"""Writers of the non-RDF outputs, one module each.

- :mod:`~rncp_ld.writers.loq_xml`: the Europass qualification-upload XML (LOQ 3.1.0) of
  ``rncp-ld convert … --format loq``;
- :mod:`~rncp_ld.writers.edc_jsonld`: European Digital Credentials (ELM 3.1, JSON-LD);
- :mod:`~rncp_ld.writers.europass_xml`: Europass XML credentials (ELM v2).

Writers are imported by name when needed (``rncp_ld.writers.loq_xml:LoqWriter``), so this
package imports none of them.
"""

from __future__ import annotations

__all__: list[str] = []

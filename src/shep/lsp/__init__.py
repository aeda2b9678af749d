"""shep's language server (``shep lsp``): ``analysis`` computes what it answers from a document's
text and needs nothing but shep; ``server`` speaks the protocol, with pygls (the ``lsp`` extra)."""

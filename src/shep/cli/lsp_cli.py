"""`shep lsp`: start the language server of shep.lsp.server, or say which extra it needs (exit 2)."""

from __future__ import annotations

from shep.cli import EXIT_OK, EXIT_USAGE
from shep.cli._io import err

# The packages of the lsp extra (pyproject.toml): a missing one means the extra is not installed.
LSP_PACKAGES = ("pygls", "lsprotocol", "cattrs", "attrs")


def lsp_command() -> int:
    try:
        from shep.lsp.server import serve
    except ImportError as missing:
        if (missing.name or "").split(".")[0] not in LSP_PACKAGES:
            raise
        err(f"shep lsp needs the lsp extra, which is not installed ({missing.name} is missing): "
            "pip install 'shep[lsp]'")
        return EXIT_USAGE
    serve()
    return EXIT_OK

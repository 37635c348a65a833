"""`tffix lsp`: the language server, on stdio.

pygls is the optional `lsp` extra, so this module imports it only when the
command runs: `tffix --help` and `tffix check` keep working without it.
stdout carries JSON-RPC, so every log line goes to stderr.
"""

from __future__ import annotations

import logging
import sys

import click

MISSING_EXTRA = "tffix lsp needs the language server extra: pip install 'tffix[lsp]'"


@click.command("lsp")
@click.option(
    "--stdio",
    is_flag=True,
    help="Talk over stdin/stdout (the only transport; accepted because"
    " editor clients such as vscode-languageclient pass it).",
)
@click.option(
    "--log-level",
    default="WARNING",
    show_default=True,
    type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False),
    help="What to log on stderr.",
)
def command(stdio, log_level):
    """Run the language server: diagnostics, quick fixes and a fix-all action in your editor."""
    try:
        import pygls.lsp.server  # noqa: F401  (is the extra, with lsprotocol, installed?)
    except ImportError:
        click.echo(MISSING_EXTRA, err=True)
        sys.exit(2)
    from tffix.lsp.server import build_server

    logging.basicConfig(
        stream=sys.stderr, level=log_level.upper(), format="tffix lsp: %(levelname)s %(name)s: %(message)s"
    )
    build_server().start_io()

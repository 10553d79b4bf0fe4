"""`audioleaflet serve`."""

from __future__ import annotations

import contextlib
from pathlib import Path

import click

from audioleaflet.cli.main import cli
from audioleaflet.cli.options import SOURCE
from audioleaflet.errors import OutputError
from audioleaflet.layout import OutputLayout
from audioleaflet.serve import HOST, preview_server


@cli.command(name="serve")
@click.argument("output", type=SOURCE, default=Path("output"), required=False)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port on 127.0.0.1 (0: any free one).",
)
def serve_command(output: Path, port: int) -> None:
    """Preview a built OUTPUT folder (default: output/) in a browser, from this machine only.

    Serves the folder on 127.0.0.1 with HTTP byte ranges, as a web server does, so chapter
    links and the transcript can seek in the audio. Stop it with Ctrl-C.

    \b
    Example:
      audioleaflet serve output/
    """
    if not output.is_dir():
        raise OutputError(f"{output} is not a folder: build into it first")
    try:
        server = preview_server(output, port)
    except OSError as exc:
        raise OutputError(
            f"cannot serve on {HOST}:{port}: {exc.strerror or exc}; choose another with --port"
        ) from None
    start = "index.html" if OutputLayout(output).index.is_file() else ""
    click.echo(f"Serving {output} at http://{HOST}:{server.server_address[1]}/{start}")
    click.echo("Press Ctrl-C to stop.")
    with server, contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()

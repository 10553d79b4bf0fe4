"""The `audioleaflet` command: parses options, calls the library, reports errors in one line.

One module per command (or group of commands); each registers itself on the group in `main`.
"""

from audioleaflet.cli import build, cache, check, preview, say, voices
from audioleaflet.cli.main import cli, main

__all__ = ["build", "cache", "check", "cli", "main", "preview", "say", "voices"]

"""The one assertion every test of bad input makes: what the user sees is one line."""

from __future__ import annotations

import subprocess

from click.testing import Result


def assert_one_line_error(
    result: Result | subprocess.CompletedProcess[str], status: int = 1
) -> str:
    """`result` (a CliRunner run or a real process) failed with exit `status`, printing one
    line `Error: ...` on stderr and no traceback; returns that line, without its line end."""
    if isinstance(result, Result):
        code, out, err = result.exit_code, result.stdout, result.stderr
    else:
        code, out, err = result.returncode, result.stdout or "", result.stderr
    assert code == status, (code, out, err)
    assert err.startswith("Error: ") and err.count("\n") == 1, err
    assert "Traceback" not in out + err
    return err.rstrip("\n")

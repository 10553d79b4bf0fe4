"""Speaking on a real Dask cluster: a `distributed.LocalCluster` of worker processes."""

from __future__ import annotations

import hashlib
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from audioleaflet.build import build
from audioleaflet.cli import cli
from audioleaflet.config.saved import resolve_settings
from audioleaflet.executors import ExecutorChoice, parse_executor
from tests.conftest import CONTENT, REPO, runner
from tests.one_line import assert_one_line_error

distributed = pytest.importorskip(
    "distributed", reason="Dask is not installed: pip install -e '.[test]' brings it"
)


@pytest.fixture(scope="module")
def cluster() -> Iterator[tuple[str, object]]:
    """Two single-threaded worker processes and a scheduler on 127.0.0.1; yields its address
    (host:port) and a client of it for the tests' own look at the workers."""
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
            host="127.0.0.1",
        ) as local,
        # Not the default client, as in a real build: only ours exists there.
        distributed.Client(local, set_as_default=False) as client,
    ):  # fmt: skip
        yield local.scheduler_address.removeprefix("tcp://"), client


def digests(folder: Path) -> dict[str, str]:
    """Every file of an output folder (the lock aside) by its path, as a SHA-256."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != ".audioleaflet.lock"
    }


def test_a_cluster_build_of_content_is_byte_identical_to_a_local_build(
    content_build: Path, cluster: tuple[str, object], tmp_path: Path
) -> None:
    address, _client = cluster
    output = tmp_path / "output"
    previous = Path.cwd()
    os.chdir(REPO)  # as the local build was made: `audioleaflet build` in the project folder
    try:
        result = runner().invoke(
            cli,
            ["build", "-o", str(output), "--cache-dir", str(tmp_path / "cache"),
             "--executor", f"dask://{address}"],
        )  # fmt: skip
    finally:
        os.chdir(previous)
    assert result.exit_code == 0, result.output
    # A cold cache: every sentence was spoken on the cluster, and the build says where.
    assert " 0 from the cache" in result.stderr
    assert f"spoken on dask://{address}: tcp://127.0.0.1:" in result.stderr
    assert digests(output) == digests(content_build)


def test_a_worker_killed_mid_build_costs_only_its_own_work(
    content_build: Path, cluster: tuple[str, object], tmp_path: Path
) -> None:
    address, client = cluster
    pids: dict[str, int] = client.run(os.getpid)  # type: ignore[attr-defined]
    victim, victim_pid = sorted(pids.items())[0]
    killed: list[int] = []

    def kill_one_worker(done: int, total: int) -> None:
        if done == 5 and not killed:
            os.kill(victim_pid, signal.SIGKILL)
            killed.append(total)

    lines: list[str] = []
    output = tmp_path / "output"
    previous = Path.cwd()
    os.chdir(REPO)
    try:
        settings = resolve_settings([Path("content")], output, None, False)
        result = build(
            [Path("content")], output, settings, report=lines.append,
            cache=tmp_path / "cache", progress=kill_one_worker,
            executor=ExecutorChoice("dask", address),
        )  # fmt: skip
    finally:
        os.chdir(previous)
    assert killed, "the build finished before the fifth sentence came back"
    assert digests(output) == digests(content_build)
    # The worker left standing spoke what the killed one could not: more than its half.
    where = next(line for line in lines if line.startswith("spoken on "))
    counts = {
        name: int(count)
        for name, _, count in (
            part.rpartition(": ") for part in where.split(": ", 1)[1].split(", ")
        )
    }
    assert sum(counts.values()) == result.clips_spoken
    survivors = {name: n for name, n in counts.items() if name != victim}
    assert max(survivors.values()) > result.clips_spoken // 2, where


def test_a_worker_with_another_audioleaflet_is_refused(
    cluster: tuple[str, object], tmp_path: Path
) -> None:
    address, client = cluster

    def install(version: str) -> None:
        # What a worker with another installation reports: its own version of audioleaflet.
        import audioleaflet.audio.clips

        audioleaflet.audio.clips.__version__ = version

    from audioleaflet import __version__

    client.run(install, "0.0.0-elsewhere")  # type: ignore[attr-defined]
    try:
        result = runner().invoke(
            cli,
            ["build", str(CONTENT / "hand-hygiene"), "-o", str(tmp_path / "out"),
             "--cache-dir", str(tmp_path / "cache"), "--executor", f"dask://{address}"],
        )  # fmt: skip
    finally:
        client.run(install, __version__)  # type: ignore[attr-defined]
    line = assert_one_line_error(result)
    assert f"of dask://{address} has audioleaflet 0.0.0-elsewhere, this build {__version__}" in line
    assert "install the same audioleaflet and voices on every worker" in line
    assert not (tmp_path / "out" / "en").exists()


def test_an_unreachable_scheduler_is_one_line(tmp_path: Path) -> None:
    # A port nobody listens on: connection refused until the client gives up.
    result = runner().invoke(
        cli,
        ["build", str(CONTENT / "hand-hygiene"), "-o", str(tmp_path / "out"),
         "--cache-dir", str(tmp_path / "cache"), "--executor", "dask://127.0.0.1:9"],
    )  # fmt: skip
    line = assert_one_line_error(result)
    assert "cannot reach the Dask scheduler at dask://127.0.0.1:9" in line
    assert "dask scheduler" in line


@pytest.mark.parametrize("spec", ["dask://", "dask://host", "tcp://127.0.0.1:8786", "cluster"])
def test_an_executor_that_is_no_executor_is_one_line(spec: str, tmp_path: Path) -> None:
    result = runner().invoke(
        cli, ["build", str(CONTENT / "hand-hygiene"), "-o", str(tmp_path), "--executor", spec]
    )
    line = assert_one_line_error(result)
    assert f"executor {spec!r} is neither 'local' nor 'dask://HOST:PORT'" in line


def test_the_environment_names_the_executor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUDIOLEAFLET_EXECUTOR", "dask://10.0.0.5:8786")
    assert parse_executor(None) == ExecutorChoice("dask", "10.0.0.5:8786")
    assert parse_executor("local") == ExecutorChoice("local")

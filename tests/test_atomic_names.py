"""Temporary names: two writers of one file never share one."""

from __future__ import annotations

import threading
from pathlib import Path

from audioleaflet.atomic import atomic_file


def test_two_threads_writing_one_file_each_finish_whole(tmp_path: Path) -> None:
    # Two identical chapters are one cache entry, written by two threads of one build at once.
    dest = tmp_path / "chapter.mp3"
    both_open = threading.Barrier(2, timeout=10)
    failures: list[BaseException] = []

    def write(data: bytes) -> None:
        try:
            with atomic_file(dest) as tmp:
                tmp.write_bytes(data)
                both_open.wait()
        except BaseException as exc:  # the failure is the test's result, reported below
            failures.append(exc)

    threads = [threading.Thread(target=write, args=(bytes([n]) * 4096,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures
    assert dest.read_bytes() in {b"\x01" * 4096, b"\x02" * 4096}
    assert sorted(path.name for path in tmp_path.iterdir()) == ["chapter.mp3"]

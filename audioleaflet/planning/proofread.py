"""The spoken script, for proofreading: exactly the sentences the build will speak."""

from __future__ import annotations

from collections.abc import Iterator

from audioleaflet.planning.plan import PlannedLeaflet


def script_lines(item: PlannedLeaflet, diff: bool = False) -> Iterator[str]:
    """Chapter by chapter, each sentence as it will be spoken.

    With `diff`, each sentence is shown as the leaflet writes it beside what will be said, and
    everything cleaning removed is listed at the end.
    """
    detected = " (detected)" if item.text.lang_detected else ""
    yield f"# {item.title} [{item.text.lang}{detected}] {item.text.path}"
    for number, (title, sentences) in enumerate(item.chapters, 1):
        yield ""
        yield f"## {number}. {title}"
        for sentence in sentences:
            if not diff:
                yield sentence.text
            elif sentence.source == sentence.text:
                yield f"  = {sentence.text}"
            else:
                yield f"  - {sentence.source}"
                yield f"  + {sentence.text}"
    if diff:
        yield ""
        yield f"## Removed ({len(item.document.removed)})"
        yield from (f"  {removal}" for removal in item.document.removed)

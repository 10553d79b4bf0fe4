"""The clips a plan needs: every sentence it speaks, with its voice, and their cache keys."""

from __future__ import annotations

from pathlib import Path

from audioleaflet.audio.clips import ClipRequest, clip_keys
from audioleaflet.model import Sentence
from audioleaflet.planning.plan import NO_VOICING, PlannedLeaflet, plan
from audioleaflet.readers.sources import find_leaflets
from audioleaflet.voices.choice import Voicing


def request_for(item: PlannedLeaflet, sentence: Sentence) -> ClipRequest:
    return ClipRequest(sentence.text, item.voice, item.settings)


def clip_requests(planned: list[PlannedLeaflet]) -> list[ClipRequest]:
    """Every sentence to speak, in order, with its voice."""
    return [
        request_for(item, sentence)
        for item in planned
        for _title, sentences in item.chapters
        for sentence in sentences
    ]


def needed_clip_keys(
    sources: list[Path], voicing: Voicing = NO_VOICING, follow_symlinks: bool = False
) -> list[str]:
    """The cache keys of every clip that building `sources` needs (for `cache prune`)."""
    requests = clip_requests(plan(find_leaflets(sources, None, follow_symlinks), voicing=voicing))
    return list(clip_keys(requests, voicing.options).values())

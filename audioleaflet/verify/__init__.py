"""Verification: a built output folder checked as listeners, podcast apps and DAISY players meet
it (`audioleaflet check`). Each format is read back with the reader that sits beside its writer
(`audio/tags.py`, `audio/m4b.py`, `outputs/transcripts.py`, `outputs/chapters_json.py`) and
measured with the build's own meter (`audio/meter.py`)."""

from audioleaflet.verify.check import check_output
from audioleaflet.verify.rows import CheckResult, summary

__all__ = ["CheckResult", "check_output", "summary"]

"""Errors the user can act on.

Every failure that comes from the user's input or environment is raised as a `LeafletError`
whose message is one line saying what is wrong and how to fix it. The CLI prints exactly that
line; anything else is a bug and keeps its traceback.
"""


class LeafletError(Exception):
    """A problem with the input or the environment, explained in one line."""


class InputError(LeafletError):
    """A source file or manifest cannot be used as it is."""


class LanguageError(LeafletError):
    """A language that no engine here can speak, or that cannot be determined."""


class ToolError(LeafletError):
    """An external program (ffmpeg) or library (espeak-ng) failed."""


class OutputError(LeafletError):
    """The output folder cannot be written."""


class VoiceError(LeafletError):
    """A chosen voice or engine is not available here."""


class ServiceError(LeafletError):
    """An online speech service could not be reached or refused the request."""

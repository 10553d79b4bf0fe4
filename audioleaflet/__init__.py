"""audioleaflet: patient leaflets as accessible, chaptered audio and podcast feeds."""

__version__ = "0.1.0"

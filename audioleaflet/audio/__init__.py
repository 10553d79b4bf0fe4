"""Audio: speaking clips, assembling chapters, encoding and tagging."""

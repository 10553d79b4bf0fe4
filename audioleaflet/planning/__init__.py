"""Planning: what will be spoken, chapter by chapter, in which voice, before any audio."""

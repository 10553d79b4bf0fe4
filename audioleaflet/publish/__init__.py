"""Publishing: the podcast feed per language and the episode records it is built from."""

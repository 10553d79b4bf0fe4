"""Where voice files live, which voice speaks which language, and installing new ones."""

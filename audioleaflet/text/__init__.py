"""Text rules: undoing extraction artifacts, finding headings, splitting sentences."""

"""The web edition: a player page per leaflet, a page per language, the front page, QR codes.

Static HTML with one hand-written stylesheet and script (`data/web/`) inlined into each page,
so a page works from any web server or from disk, asks nothing of a third party (what a patient
listens to is health data), and still plays, links its chapters and shows its transcript with
JavaScript off. The words of the interface come from the `[web]` section of each language's
data file.
"""

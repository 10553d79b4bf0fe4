"""Files made from the one timing model beside the audio: transcripts, chapters, talking books."""

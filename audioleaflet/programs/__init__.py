"""External programs, each behind one wrapper: argument lists only, exit status checked, the
command and the end of the program's own message in every error (ffmpeg is the only one)."""

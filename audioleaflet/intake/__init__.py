"""Where everything a user gives enters: which files a build may read (`tree`), how their bytes
become text (`decoding`), and which characters are taken out of every text (`characters`)."""

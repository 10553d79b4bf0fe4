"""Configuration: TOML files read with file:line errors, and what each may say (`leaflet.toml`,
`podcast.toml`, the speech choices and pauses both share, the audio settings)."""

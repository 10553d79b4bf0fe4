"""Reading leaflet sources: find them, read their manifests and texts, detect languages."""

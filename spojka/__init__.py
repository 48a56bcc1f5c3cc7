"""Spojka: the virtual community centre of a Czech territory."""

"""Administrative geography (kraj, okres, ORP, obec) and the territories Spojka serves."""

"""Import of the national MPSV registry of social services (Registr poskytovatelů)."""

"""Code lists: service types of Act 108/2006 Sb., forms, target and age groups, life situations."""

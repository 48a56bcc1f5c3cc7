"""Organisations, services, locations, capacity and search: the HSDS-shaped directory."""

"""The public site of each territory: search, map, service, organisation and obec pages."""

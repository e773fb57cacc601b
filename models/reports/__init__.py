"""Figures for a period: what the township checks every month, counted in the
database, and the sheets of the files it receives."""

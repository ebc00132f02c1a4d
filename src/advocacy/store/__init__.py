"""Persistence: the catalogue's tables, the database engine, migrations and bulk loading."""

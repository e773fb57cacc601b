"""Database URLs, told apart without Peewee: the command line decides by them what to
load before any of it is loaded."""

APP_NAME = "village-duty-desk"  # names the user's data directory (default database, printouts)


def is_postgres_url(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://"))

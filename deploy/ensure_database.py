"""Create the PostgreSQL database named in DATABASE_URL if it does not exist (used by `make serve`).

Connects to the server's maintenance database ``postgres`` with the same
credentials. SQLite and other URLs are left alone.
"""

import os
import sys

import dj_database_url


def main():
    url = os.environ.get("DATABASE_URL", "")
    config = dj_database_url.parse(url) if url else {}
    if "postgresql" not in config.get("ENGINE", ""):
        return 0
    import psycopg2
    from psycopg2 import sql

    name = config["NAME"]
    connection = psycopg2.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        connect_timeout=10,
    )
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                print(f"serve: created database {name}", file=sys.stderr)
    finally:
        connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

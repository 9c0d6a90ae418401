"""Autogenerate a migration from the models: `python tools/new_migration.py REV_ID "message"`.

It upgrades a throw-away SQLite database to the current head and writes the difference between
the models and that schema as a new date-prefixed revision whose parent is the single head.
After rebasing onto a main that gained migrations, delete your own revision file and run this
again, so the history stays one straight line.
"""

import sys
import tempfile
from pathlib import Path

from alembic import command

from limbsalvage.db.engine import make_engine
from limbsalvage.db.migrate import alembic_config, upgrade_database


def main(rev_id: str, message: str) -> None:
    """Write the new revision file and print its path."""
    with tempfile.TemporaryDirectory() as directory:
        engine = make_engine(f"sqlite:///{Path(directory) / 'gen.sqlite3'}")
        upgrade_database(engine)
        command.revision(alembic_config(engine), message=message, autogenerate=True, rev_id=rev_id)
        engine.dispose()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

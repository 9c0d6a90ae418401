"""Migration throttle_events carries the refused sign-ins over, and back on downgrade."""

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import Engine, text

from limbsalvage.db.migrate import alembic_config, upgrade_database

DIGEST = "a" * 64
REFUSED_AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def test_refused_sign_ins_are_carried_over_and_back(fresh_engine: Engine) -> None:
    upgrade_database(fresh_engine, revision="worklist_filters")
    with fresh_engine.begin() as connection:
        connection.execute(
            text("INSERT INTO sign_in_failures (key_hash, failed_at) VALUES (:digest, :at)"),
            {"digest": DIGEST, "at": REFUSED_AT},
        )
    upgrade_database(fresh_engine, revision="throttle_events")
    with fresh_engine.connect() as connection:
        carried = connection.execute(text("SELECT purpose, key_hash FROM throttle_events")).all()
    assert [tuple(row) for row in carried] == [("sign_in", DIGEST)]
    with fresh_engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO throttle_events (purpose, key_hash, counted_at) "
                "VALUES ('referral', :digest, :at)"
            ),
            {"digest": "b" * 64, "at": REFUSED_AT},
        )
    command.downgrade(alembic_config(fresh_engine), "worklist_filters")
    with fresh_engine.connect() as connection:
        back = connection.execute(text("SELECT key_hash FROM sign_in_failures")).scalars().all()
    assert back == [DIGEST]  # the referral count has no place in the older table

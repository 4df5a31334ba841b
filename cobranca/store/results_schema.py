"""Schema step 4: payment events, aging snapshots, portfolios (analyst per customer), leases, filters.mine."""

from __future__ import annotations

SCHEMA_STEP = [
    "CREATE SEQUENCE payment_event_ids",
    # One row per receivable whose paid amount or paid date changed in a re-import (see receivables.upsert).
    """CREATE TABLE payment_events (
        id BIGINT NOT NULL, receivable_id BIGINT NOT NULL, recorded_at TIMESTAMP NOT NULL,
        paid_before DECIMAL(18,2) NOT NULL, paid_after DECIMAL(18,2) NOT NULL,
        paid_date_before DATE, paid_date_after DATE, amount DECIMAL(18,2) NOT NULL)""",
    # Totals by aging bucket after each import (the trend of the Resultados pane).
    """CREATE TABLE aging_snapshots (
        taken_at TIMESTAMP NOT NULL, as_of DATE NOT NULL, bucket VARCHAR NOT NULL,
        receivables BIGINT NOT NULL, balance DECIMAL(18,2) NOT NULL)""",
    """CREATE TABLE portfolio (
        customer_id BIGINT PRIMARY KEY, analyst VARCHAR NOT NULL, assigned_by VARCHAR NOT NULL,
        assigned_at TIMESTAMP NOT NULL)""",
    """CREATE TABLE leases (
        customer_id BIGINT NOT NULL, analyst VARCHAR NOT NULL, started_at TIMESTAMP NOT NULL,
        expires_at TIMESTAMP NOT NULL, PRIMARY KEY (customer_id, analyst))""",
    "ALTER TABLE filters ADD COLUMN mine BOOLEAN DEFAULT FALSE",
]

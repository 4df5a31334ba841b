"""The opt-out rule in SQL, once: a customer's newest customer event (opt-out or opt-in) not cancelled decides."""

from __future__ import annotations

# `{customer}`: the customer id's SQL (a placeholder or a column); selects from that newest event (alias e)
NEWEST_EVENT = """FROM customer_events e WHERE e.customer_id = {customer} AND e.cancelled_at IS NULL
                  ORDER BY e.id DESC LIMIT 1"""
STATE_SQL = "SELECT e.kind, e.note " + NEWEST_EVENT.format(customer="?")  # noqa: S608 - constants
# A condition on receivables `r`: its customer has not opted out (no event at all counts as not opted out)
NOT_OPTED_OUT = ("coalesce((SELECT e.kind = 'optout' " + NEWEST_EVENT.format(customer="r.customer_id")  # noqa: S608
                 + "), FALSE) = FALSE")

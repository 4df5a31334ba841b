"""Acordos (debt renegotiation): pure rules of the discount policy, the schedule and breaking/keeping."""

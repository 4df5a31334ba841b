"""Payments in: bank return files (CNAB 240/400) and OFX statements, parsed and matched by pure rules."""

"""Receivables' own rules: balance, days overdue, fine and interest, filters, the worklist summary."""

"""Promises to pay and disputes: their status rules and how they read in a receivable's history."""

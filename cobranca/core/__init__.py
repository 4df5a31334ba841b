"""Foundations every feature uses: the clock, the bank calendar, money, tax ids, phones, pt-BR formatting, errors."""

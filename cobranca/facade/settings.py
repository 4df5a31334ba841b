"""Facade: settings (read leniently, written strictly) and what they define — the charge rules, the bank's calendar."""

from __future__ import annotations

from typing import Any

from .. import settings as settings_mod
from ..core.calendar import BankCalendar
from ..core.text import strip_controls
from ..receivables.rules import ChargeRules
from ..store import receivables as receivable_records
from ..store import settings as records


class Settings:
    """`db.settings`: stored, all (typed), warnings, set, bank_calendar, rules."""

    def __init__(self, db):
        self.db = db

    def stored(self) -> dict[str, str]:
        """The settings as stored (text), without defaults."""
        with self.db._con() as con:
            return records.read_all(con)

    def all(self, stored: dict[str, str] | None = None) -> dict[str, Any]:
        """Every setting, typed, stored values over defaults (a stored value now refused falls back to its default);
        of `stored` when the caller already read it."""
        return settings_mod.typed(self.stored() if stored is None else stored)

    def warnings(self) -> list[str]:
        """pt-BR warnings about stored values replaced by their defaults, and about accepted but unwise values
        (contact_hours = livre)."""
        stored = self.stored()
        return [*settings_mod.stored_value_warnings(stored), *settings_mod.warnings(stored)]

    def set(self, key: str, value: str) -> str | None:
        """Store a setting after validating it; returns a pt-BR warning when the value is unwise."""
        text = settings_mod.text_to_store(key, strip_controls(str(value)))  # validated; normalised where the setting asks (pix_key)
        with self.db._tx() as con:
            records.write(con, key, text)
            if key in settings_mod.CALENDAR_KEYS:  # every stored "payable until" follows the new calendar
                receivable_records.recompute_payable_until(con, settings_mod.bank_calendar_from(records.read_all(con)))
        self.db.forget_timezone()  # the one clock reads the `timezone` setting again
        return settings_mod.warning_for(key, value)

    def bank_calendar(self) -> BankCalendar:
        """The bank's calendar: national days off, Carnival and the company's local holidays."""
        return settings_mod.bank_calendar_from(self.stored())

    def rules(self) -> ChargeRules:
        """The charge rules (reads only their own settings)."""
        return settings_mod.charge_rules_from(self.stored())

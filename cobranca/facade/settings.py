"""Facade: settings (read leniently, written strictly) and the charge rules."""

from __future__ import annotations

from typing import Any

from .. import settings as settings_mod
from ..core.calendar import BankCalendar
from ..core.text import strip_controls
from ..receivables.rules import ChargeRules
from ..store import receivables as receivable_records
from ..store import settings as records


class SettingsMixin:
    def stored_settings(self) -> dict[str, str]:
        """The settings as stored (text), without defaults."""
        with self._con() as con:
            return records.read_all(con)

    def settings(self) -> dict[str, Any]:
        """Every setting, typed, stored values over defaults (a stored value now refused falls back to its default)."""
        return settings_mod.typed(self.stored_settings())

    def setting_warnings(self) -> list[str]:
        """pt-BR warnings about stored values that were replaced by their defaults."""
        return settings_mod.stored_value_warnings(self.stored_settings())

    def set_setting(self, key: str, value: str) -> str | None:
        """Store a setting after validating it; returns a pt-BR warning when the value is unwise."""
        text = settings_mod.text_to_store(key, strip_controls(str(value)))  # validated; normalised where the setting asks (pix_key)
        with self._tx() as con:
            records.write(con, key, text)
            if key in settings_mod.CALENDAR_KEYS:  # every stored "payable until" follows the new calendar
                receivable_records.recompute_payable_until(con, settings_mod.bank_calendar_from(records.read_all(con)))
        self._tz_cache = None  # the one clock reads the `timezone` setting again (facade/clock.py)
        return settings_mod.warning_for(key, value)

    def bank_calendar(self) -> BankCalendar:
        """The bank's calendar: national days off, Carnival and the company's local holidays."""
        return settings_mod.bank_calendar_from(self.stored_settings())

    def rules(self) -> ChargeRules:
        """The charge rules (reads only their own settings)."""
        return settings_mod.charge_rules_from(self.stored_settings())

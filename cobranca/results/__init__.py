"""What collection work recovered: formulas, charts and their pt-BR wording."""

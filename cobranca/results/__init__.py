"""What collection work recovered: formulas and their pt-BR wording (the charts are in report/results_charts.py)."""

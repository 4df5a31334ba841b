"""The régua de cobrança: steps, a run's plan, its report and its default texts."""

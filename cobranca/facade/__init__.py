"""The pieces of the `Cobranca` facade (cobranca/api.py), one mixin per concern."""

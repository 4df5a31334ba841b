"""The pieces of the `Cobranca` facade (cobranca/api.py): one small class per concern, each holding the facade."""

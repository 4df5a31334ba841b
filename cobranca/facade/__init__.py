"""Facade mixins: each feature's methods of `Cobranca` in its own module."""

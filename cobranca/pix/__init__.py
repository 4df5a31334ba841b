"""Pix: the BR Code, the key, the charge of a receivable and its QR image."""

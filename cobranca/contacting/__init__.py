"""Reaching a customer: legal hours, the do-not-contact guard, templates (sandboxed), e-mail, WhatsApp."""

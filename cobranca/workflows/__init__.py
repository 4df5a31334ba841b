"""Work that drives the facade end to end: sending messages, régua runs, backups and restores."""

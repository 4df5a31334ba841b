"""Helpers shared by the test folders (unit, integration, e2e): known data, servers, bank files; no tests."""

"""Documents: the PDF report, spreadsheet exports and charts, spreadsheet-safe cells."""

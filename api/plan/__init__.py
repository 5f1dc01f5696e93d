"""The provincial plan over HTTP: its records, its figures for a period with the records
behind each, and the annual report with its reminder."""

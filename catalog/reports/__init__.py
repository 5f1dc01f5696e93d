"""Reports for officials and consultants, computed from the catalog (no I/O beyond the session).

- :mod:`~catalog.reports.reach`: which products a document, a rule or a watch list reaches;
- :mod:`~catalog.reports.gaps`: products missing regulations, standards or test methods,
  rules citing editions no longer in force, overlapping documents;
- :mod:`~catalog.reports.draft_impact`: what a draft QCĐP would cover and duplicate;
- :mod:`~catalog.reports.changes`: the change feed built from the field-level history;
- :mod:`~catalog.reports.watch`: watch lists and the changes that touch them;
- :mod:`~catalog.reports.indicators`: the provincial plan's targets and the measured values;
- :mod:`~catalog.reports.tables`: any report as tables, and tables as an XLSX workbook.
"""

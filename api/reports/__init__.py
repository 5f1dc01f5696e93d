"""The reports for officials and consultants: gaps and overlaps, open comment periods, the
review queue, draft QCĐP impact, the plan's indicators, and the change feed (JSON, Atom,
workbook). Watch lists, declarations and the plan have their own packages beside this one."""

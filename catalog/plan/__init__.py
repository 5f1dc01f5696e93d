"""The provincial plan's records and what is made of them.

- :mod:`~catalog.plan.vocab`: kinds of participant, support, funding, topic, award stage;
- :mod:`~catalog.plan.models`: the records (training courses with their attendance,
  experts, support to enterprises, the producer register, outreach, National Quality Award
  entries, OCOP trademarks, traceability-portal milestones, reports generated);
- :mod:`~catalog.plan.records`: the one way to write them (API and spreadsheets), checked
  and with the field-level history of :mod:`catalog.upsert`;
- :mod:`~catalog.plan.measure`: the six numeric targets measured from them, with the
  records behind every figure;
- :mod:`~catalog.plan.annual`: the annual report (DOCX) and its annex (XLSX);
- :mod:`~catalog.plan.samples`: the demo's sample records, marked as samples.
"""

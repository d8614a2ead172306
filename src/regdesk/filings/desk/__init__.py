"""The registration specialist's desk for ICP filing (备案专员工作台), mounted at ``/desk/filings/``.

* ``/desk/filings/``: the work queue, nearest deadline first;
* ``/desk/filings/<id>/``: a filing — summary with personal data masked (revealed with a stated purpose), history,
  documents, clocks, contact verification, the actions allowed now, the regulator's answers;
* ``/desk/filings/<id>/onsite/``: the on-site verification screen (当面核验).

Pages read through ``regdesk.filings.selectors`` and this package's ``selectors``, and change nothing themselves:
every form calls a service of ``regdesk.filings.services`` and shows its refusal. Filings are fetched through
``access.get_desk_filing_or_404``: "not found" alike for missing filings and filings of other units.
"""

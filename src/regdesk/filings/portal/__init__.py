"""The owner portal for ICP filing (网站主办者), under ``/portal/filings/``.

Pages (URL names of ``filings_portal``):

* ``list`` — the owner's drafts and filings; ``new`` — the first step of a new filing (新增备案).
* The application in steps, each saved into the draft: ``owner`` (主办者), ``person`` (主体负责人), ``websites`` and
  ``website`` (one page per website, with its person in charge and pre-approvals), ``access`` (access method, server
  location, the IP addresses the provider assigned), ``documents`` (scans), ``review`` (everything masked, the
  rules' errors with links, submit). Each form page has a ``…/validate/`` address htmx calls as the owner types.
* ``detail`` — the status: history in the owner's words, per-field reasons of a return, the on-site notice with its
  deadline and what to bring, the SMS code of the contact check, and after the approval the record numbers, the
  footer snippet, the electronic certificate and the public-security reminder.
* ``correct`` — only the returned fields editable, then submit again; ``withdraw`` — with a confirmation.

Personal data: the owner's own values fill the forms in full (they entered them), read through
``filing_data_open``, which writes each read to the audit trail; every other page shows them masked, and the
review's "show in full" button goes through the same audited read.
"""

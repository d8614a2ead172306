"""Remediation campaigns for unregistered lines (DOMAIN.md §2): notify → one-way stop → remind → two-way stop →
cancel, with per-campaign intervals in working or calendar days; service restored at once when the holder
registers; no fees while suspended; the prepaid balance refunded on cancellation.

Writes in ``campaigns.services``; the process ``line.remediation`` in ``campaigns.process``; its step effects in
``campaigns.steps``; desk pages in ``campaigns.views``.
"""

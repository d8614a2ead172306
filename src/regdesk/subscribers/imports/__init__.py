"""Imports of existing subscriber bases (CSV or Parquet), in bounded memory, and the classification of every
imported line into the groups of unregistered lines (``regdesk.rules.realname``).

Writes are in ``imports.services``; the columns are documented in ``imports.columns``.
"""

"""The regulations as pure Python: identity documents, division codes, working days and the other rules.

Nothing in this package imports Django, so the rules can be used (and tested) on their own.
"""

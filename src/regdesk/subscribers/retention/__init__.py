"""Retention of real-name registration data: the scheduled purge of data whose retention period ended, with the
evidence of each run (``PurgeRecord``)."""

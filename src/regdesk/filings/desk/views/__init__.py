"""Views of the filings desk: the queue, the filing's page, contact verification and the on-site screen."""

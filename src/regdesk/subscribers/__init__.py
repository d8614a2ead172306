"""Real-name registration of phone and data lines (电话用户真实身份信息登记).

Public writes are in ``regdesk.subscribers.services``, reads in ``regdesk.subscribers.selectors``; the processes on
the case kernel are in ``regdesk.subscribers.process``; reader signatures in ``regdesk.subscribers.readers``.
"""

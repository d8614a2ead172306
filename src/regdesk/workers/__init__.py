"""The background workers' liveness: a heartbeat per running task, and the reaping of tasks whose worker is gone.

django-tasks-db marks a task RUNNING when a worker claims it and keeps no sign of life afterwards: a worker killed
in the middle of a task (SIGKILL, out of memory, a machine lost) leaves it RUNNING for ever. So a worker records a
heartbeat (``TaskHeartbeat``) for the task it runs, renewed every ``REGDESK_TASK_HEARTBEAT_SECONDS`` by a thread
beside the task, and ``tasks_reap`` marks FAILED every RUNNING task whose heartbeat is older than
``REGDESK_TASK_STALE_SECONDS``; a task registered with ``resume_when_reaped`` (safe to run twice) is queued again.

``regdesk tasks reap [--loop SECONDS]`` runs the reaper; ``regdesk filings poll --loop`` (which ``regdesk run``
starts) runs it at each round as well.
"""

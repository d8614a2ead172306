"""Supervision of agents (代理商监管): agency agreements with the real-name duties, audits of the registrations made
through an agent's outlets with per-agent error rates, and suspension or blacklisting (``agent_status_set``), after
which the agent's outlets register no line."""

"""Self-inspection of real-name registration (自查): a periodic report generated from the data — the rate, refusals
by reason, card readers, agents, remediation campaigns — whose findings are followed up as
``realname.inspection_finding`` cases on the kernel."""

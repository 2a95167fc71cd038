"""Governance: the rules a head of safeguarding owns.

The active policy (`governance.policy`), the active model and its lifecycle
(`governance.active_model`, `governance.lifecycle`), and what-if analysis over labelled history
(`governance.whatif_history` fills it, `governance.whatif` replays the route rule over it).
This room imports `models/` and `screening/` only; `api/`, `workers/` and `cli/` import it, so
the web, the workers and the command line read the policy and the model in one way.
"""

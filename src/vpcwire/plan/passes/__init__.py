"""The planner's passes, in the order ``vpcwire.plan.build`` runs them.

Each module has ``run(ctx) -> ctx``. A pass may read everything earlier passes built and
adds its own resources; none edits the spec.
"""

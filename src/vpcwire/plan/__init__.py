"""Planning: spec -> predicted Network, with a reason for every decision.

``vpcwire.plan.build.build(spec)`` runs the passes in ``passes/``; ``guide.py`` holds the
mechanism choice. The rule catalogue (``vpcwire.rules``) sits above the planner, and
``vpcwire.pipeline.plan(spec)`` runs the rules around it.
"""

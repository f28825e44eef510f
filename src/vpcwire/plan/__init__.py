"""Planning: spec -> predicted Network, with a reason for every decision.

``vpcwire.plan.plan.plan(spec)`` runs the spec rules, the passes in ``passes/`` and the
plan rules; ``guide.py`` holds the mechanism choice, ``rules/`` the catalogue.
"""

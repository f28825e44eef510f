"""The embedded AWS sandbox: a product of its own beside the deploy runner.

``server`` runs moto (patched where it answers unlike AWS, ``patches/``) behind a gate
that admits only its owner's keys (``gate``); ``background`` and ``daemon`` keep one running
per user; ``clients`` hands out boto3 sessions per account; ``inventory`` lists what it holds;
``dataplane/`` builds the same network in the kernel (namespaces and nftables) so packets
confirm the verifier. ``vpcwire.deploy`` only applies a rendered network to a target, which
may be this sandbox.
"""

"""How much of a configuration a scan will model, and why each bound is where it is.

Terraform itself has no such bounds: ``count = 1000000000`` makes it allocate until the
machine kills it. A scan runs in CI on configurations nobody has reviewed yet, so it must
answer within seconds and bounded memory whatever it is given: beyond these bounds it stops
with a located error (exit 2) instead of modelling more.
"""

from __future__ import annotations

__all__ = [
    "MAX_EVAL_STEPS",
    "MAX_INSTANCES",
    "MAX_JSON_DEPTH",
    "MAX_MODULE_DEPTH",
    "MAX_SCAN_STEPS",
    "MAX_TF_BYTES",
    "MAX_VALUE_ITEMS",
    "LimitExceeded",
]

# Resource, data source and module instances one scan models in total (count and for_each
# expanded). The 500-VPC benchmark configuration has 8,232 (benchmarks/scan_scale.py);
# 100,000 leaves room for the largest estates while a runaway count stops within seconds.
MAX_INSTANCES = 100_000

# Elements of one evaluated list, map or string (``range(n)``, ``concat``, templates): the
# same bound, so no single expression can allocate more than the whole scan may model.
MAX_VALUE_ITEMS = 1_000_000

# Bytes of one .tf file. The rendered 500-VPC configuration is 2.9 MB in all; a file larger
# than this is generated data, not a configuration, and parsing it would take minutes.
MAX_TF_BYTES = 16 * 1024 * 1024

# Modules within modules (each a directory of its own): real configurations nest a few. A
# chain of 500 scans in a second; about a thousand would exhaust Python's recursion while
# the resources are walked (only short directory names fit that deep in a path).
MAX_MODULE_DEPTH = 500

# Nesting of a plan's JSON (objects and arrays). Terraform's own plans nest a few dozen
# levels (modules within modules, attribute values); deeper is not a plan, and walking it
# would exhaust Python's recursion limit.
MAX_JSON_DEPTH = 200

# Expression nodes evaluated for one attribute (for expressions' iterations included): an
# attribute of a real configuration takes tens to thousands; a bound in the millions stops
# ``[for a in range(1000000) : [for b in range(1000000) : b]]`` within seconds.
MAX_EVAL_STEPS = 1_000_000

# The same steps, for every expression of one scan together: one bounded expression
# evaluated once per instance of a module with for_each would otherwise multiply. The
# 500-VPC configuration spends 124,612 (measured); a bound eighty times that stops a
# runaway within about twenty seconds of CPU.
MAX_SCAN_STEPS = 10_000_000


class LimitExceeded(Exception):
    """A configuration asks for more than a scan will model. Not an ``EvalError``: neither
    ``try()`` nor ``can()`` may swallow it, and it is reported as an error where it
    happened (``config.py``), not as an unknown value."""

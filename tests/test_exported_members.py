"""The public API is what __all__ says: a change to it is a deliberate, reviewed change."""

import vpcwire


def test_public_api() -> None:
    assert vpcwire.__all__ == [
        "DeployError",
        "Engine",
        "Flow",
        "Intent",
        "Network",
        "Plan",
        "ReadError",
        "Spec",
        "SpecError",
        "Trace",
        "UsageError",
        "Verdict",
        "VpcwireError",
        "__version__",
        "deploy",
        "derive_intents",
        "destroy",
        "evaluate",
        "load_spec",
        "plan",
        "read_stack",
        "render",
        "trace",
    ]
    for name in vpcwire.__all__:
        assert hasattr(vpcwire, name), name

"""The spec: YAML with positions (``source``), pydantic models (``models``), loading (``load``)."""

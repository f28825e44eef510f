"""Formatters: what vpcwire prints (text for people, JSON and SARIF for machines)."""

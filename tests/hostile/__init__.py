"""Hostile input: the probes an attacker would try against the public side, kept in CI."""

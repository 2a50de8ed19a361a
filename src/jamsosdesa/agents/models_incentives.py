"""Reserved for helper H-C of issue 14 (see docs/design/agents.md)."""

"""Reserved for helper H-B of issue 14 (see docs/design/agents.md)."""

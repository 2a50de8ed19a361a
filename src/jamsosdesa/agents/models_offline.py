"""Reserved for helper H-D of issue 14 (see docs/design/agents.md)."""

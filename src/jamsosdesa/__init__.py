"""jamsosdesa: social-security protection for Indonesian village workers."""

__version__ = "0.1.0"

"""Coverage against targets (issue 13): targets, denominators, counting rules and outreach events per region."""

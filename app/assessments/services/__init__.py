"""The use cases of the assessments feature: plain arguments in, domain objects out."""

"""The use cases of the courses feature: plain arguments in, domain objects out."""

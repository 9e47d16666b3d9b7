"""HTML pages of the courses feature."""

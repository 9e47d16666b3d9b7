"""JSON API of the courses feature (flask-smorest)."""

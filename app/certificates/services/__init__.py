"""Certificate use cases, split by concern: keys, issuance, verification, status lists and
the life of a certificate after issue. Services flush; callers commit."""

"""Pure cryptography for certificates: multibase, Data Integrity proofs, DIDs, status lists
and key handling. No Flask here; the certificates services call these functions."""

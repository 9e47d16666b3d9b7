"""JSON APIs of the certificates feature (flask-smorest). Importing this package attaches
every endpoint to the feature's two API blueprints: the certificates API under /api/v1 and
the VC-API (with its OAuth 2.0 token endpoint)."""

from app.certificates.api import certificates, vcapi

__all__ = ["certificates", "vcapi"]

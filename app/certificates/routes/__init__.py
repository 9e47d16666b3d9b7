"""HTML pages and public documents of the certificates feature. Importing this package
attaches every page to the feature's blueprints, `bp` and `admin_bp`."""

from app.certificates.routes import admin, holder, verify

__all__ = ["admin", "holder", "verify"]

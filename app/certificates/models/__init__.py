"""Certificates models: certificates, the institution keys that sign them, their numbering
and bulk jobs (certificate.py); the VC-API's OAuth 2.0 clients and tokens (oauth.py).
Importing this package registers every table of the feature."""

from app.certificates.models.certificate import (
    BulkIssueJob,
    Certificate,
    CertificateCounter,
    CredentialKey,
    DocumentSigningCert,
)
from app.certificates.models.oauth import (
    ISSUE_SCOPE,
    TOKEN_SECONDS,
    OAuthClient,
    OAuthToken,
    sha256_hex,
)

__all__ = [
    "ISSUE_SCOPE",
    "TOKEN_SECONDS",
    "BulkIssueJob",
    "Certificate",
    "CertificateCounter",
    "CredentialKey",
    "DocumentSigningCert",
    "OAuthClient",
    "OAuthToken",
    "sha256_hex",
]

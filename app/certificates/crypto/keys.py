"""Signing keys: Ed25519 credential keys, their encryption at rest, and the RSA
document-signing certificate used for PAdES signatures on certificate PDFs.

Private keys are stored encrypted with AES-256-GCM under a key-encryption key (KEK) that
comes from configuration, never from the database. The key id is bound in as associated
data, so a ciphertext copied onto another key's row does not decrypt.
"""

import base64
import binascii
import datetime as dt
import os
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

KEK_LENGTH = 32
NONCE_LENGTH = 12
BLOB_VERSION = b"\x01"
RSA_KEY_SIZE = 3072
CERT_VALIDITY_YEARS = 10

SigningKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


class KeyMaterialError(ValueError):
    """Key material is malformed, does not decrypt, or does not suit document signing."""


@dataclass
class SigningMaterial:
    """A document-signing key, its certificate and any intermediate CA certificates."""

    key: SigningKey
    certificate: x509.Certificate
    chain: list[x509.Certificate] = field(default_factory=list)


def generate_ed25519_key() -> Ed25519PrivateKey:
    """A new Ed25519 key for Data Integrity proofs."""
    return Ed25519PrivateKey.generate()


def ed25519_private_bytes(key: Ed25519PrivateKey) -> bytes:
    """The 32 raw private key bytes (to be encrypted before storage)."""
    return key.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )


def ed25519_from_private_bytes(raw: bytes) -> Ed25519PrivateKey:
    """Rebuild an Ed25519 private key from its 32 raw bytes."""
    try:
        return Ed25519PrivateKey.from_private_bytes(raw)
    except ValueError as exc:
        raise KeyMaterialError(f"not a raw Ed25519 private key: {exc}") from exc


def generate_kek() -> str:
    """A new random 256-bit key-encryption key, base64-encoded for configuration."""
    return base64.b64encode(os.urandom(KEK_LENGTH)).decode("ascii")


def _kek_bytes(kek: bytes | str) -> bytes:
    if isinstance(kek, str):
        text = kek.strip().translate(str.maketrans("-_", "+/")).rstrip("=")
        try:
            raw = base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise KeyMaterialError("the key-encryption key is not valid base64") from exc
    else:
        raw = bytes(kek)
    if len(raw) != KEK_LENGTH:
        raise KeyMaterialError(f"the key-encryption key must be {KEK_LENGTH} bytes, got {len(raw)}")
    return raw


def encrypt_private_key(plaintext: bytes, kek: bytes | str, key_id: str) -> bytes:
    """AES-256-GCM encrypt key bytes: ``version || nonce || ciphertext+tag``."""
    nonce = os.urandom(NONCE_LENGTH)
    sealed = AESGCM(_kek_bytes(kek)).encrypt(nonce, plaintext, key_id.encode("utf-8"))
    return BLOB_VERSION + nonce + sealed


def decrypt_private_key(blob: bytes, kek: bytes | str, key_id: str) -> bytes:
    """Decrypt what encrypt_private_key produced for the same ``key_id``."""
    if len(blob) < 1 + NONCE_LENGTH + 16 or blob[:1] != BLOB_VERSION:
        raise KeyMaterialError("encrypted key blob is malformed or of an unknown version")
    nonce, sealed = blob[1 : 1 + NONCE_LENGTH], blob[1 + NONCE_LENGTH :]
    try:
        return AESGCM(_kek_bytes(kek)).decrypt(nonce, sealed, key_id.encode("utf-8"))
    except InvalidTag as exc:
        raise KeyMaterialError("encrypted key does not decrypt with this KEK and key id") from exc


def private_key_to_der(key: SigningKey) -> bytes:
    """Unencrypted PKCS#8 DER of a signing key (to be passed to encrypt_private_key)."""
    return key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def private_key_from_der(der: bytes) -> SigningKey:
    """Load a PKCS#8 DER RSA or EC signing key."""
    try:
        key = serialization.load_der_private_key(der, password=None)
    except ValueError as exc:
        raise KeyMaterialError(f"not a DER private key: {exc}") from exc
    return _check_signing_key(key)


def certificate_to_pem(certificate: x509.Certificate) -> bytes:
    """PEM text of a certificate."""
    return certificate.public_bytes(serialization.Encoding.PEM)


def certificate_from_pem(pem: bytes) -> x509.Certificate:
    """Load one PEM certificate."""
    try:
        return x509.load_pem_x509_certificate(pem)
    except ValueError as exc:
        raise KeyMaterialError(f"not a PEM certificate: {exc}") from exc


def generate_document_signing_certificate(
    institution_name: str,
    now: dt.datetime | None = None,
    key: rsa.RSAPrivateKey | None = None,
) -> SigningMaterial:
    """An RSA-3072 key and a self-signed certificate for PAdES, valid for 10 years.

    The subject is the institution (CN and O cut to the 64 characters X.509 allows; C=ID);
    key usage is digitalSignature + nonRepudiation (contentCommitment), not a CA.
    """
    now = now or dt.datetime.now(dt.UTC)
    key = key or rsa.generate_private_key(public_exponent=65537, key_size=RSA_KEY_SIZE)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, institution_name[:64]),
            x509.NameAttribute(NameOID.COMMON_NAME, institution_name[:64]),
        ]
    )
    public_key = key.public_key()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(_years_later(now, CERT_VALIDITY_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(public_key), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    return SigningMaterial(key=key, certificate=certificate)


def _years_later(moment: dt.datetime, years: int) -> dt.datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + years, day=28)


def _check_signing_key(key: object) -> SigningKey:
    # EdDSA in PDF signatures needs PDF 2.0, which PDF/A-3 does not allow.
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise KeyMaterialError("document signing needs an RSA or EC key (EdDSA would need PDF 2.0)")
    return key


def _check_pair(key: object, certificate: x509.Certificate | None) -> SigningMaterial:
    if certificate is None:
        raise KeyMaterialError("no certificate found for the signing key")
    signing_key = _check_signing_key(key)
    if signing_key.public_key().public_numbers() != certificate.public_key().public_numbers():
        raise KeyMaterialError("the private key does not match the certificate")
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        usage = None
    if usage is not None and not (usage.digital_signature or usage.content_commitment):
        raise KeyMaterialError("the certificate's key usage does not allow signing")
    return SigningMaterial(key=signing_key, certificate=certificate)


def load_pem_signing_material(
    certificate_pem: bytes, key_pem: bytes, password: bytes | None = None
) -> SigningMaterial:
    """Load a CA-issued certificate (first PEM block; later blocks are the chain) and key."""
    try:
        certificates = x509.load_pem_x509_certificates(certificate_pem)
        key = serialization.load_pem_private_key(key_pem, password=password)
    except (ValueError, TypeError) as exc:
        raise KeyMaterialError(f"cannot read the PEM certificate or key: {exc}") from exc
    material = _check_pair(key, certificates[0])
    material.chain = certificates[1:]
    return material


def load_pkcs12_signing_material(data: bytes, password: bytes | None = None) -> SigningMaterial:
    """Load a CA-issued key, certificate and chain from a PKCS#12 (.p12/.pfx) file."""
    try:
        key, certificate, chain = pkcs12.load_key_and_certificates(data, password)
    except (ValueError, TypeError) as exc:
        raise KeyMaterialError(f"cannot read the PKCS#12 file: {exc}") from exc
    material = _check_pair(key, certificate)
    material.chain = list(chain)
    return material

"""PAdES signatures on certificate PDFs (pyHanko), their validation, and reading the
embedded credential back out of a PDF.

Signatures are PAdES baseline B-B: CMS with SHA-256 over an incremental update, made with
the institution's RSA (or EC) document-signing key. RSA and ECDSA keep the file at PDF 1.7,
which PDF/A-3 requires; EdDSA signatures would need PDF 2.0.
"""

import io
import logging
import zlib
from dataclasses import dataclass

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from ..crypto.keys import SigningMaterial

logger = logging.getLogger(__name__)

SIGNATURE_FIELD = "KompetenSignature"
MAX_NAME_TREE_DEPTH = 16
PROBLEMS = {
    "changed": "the document was changed after signing",
    "bad_value": "the signature value is invalid",
    "partial": "content was added to the document after signing",
    "untrusted": "the signer certificate is not trusted",
    "policy": "the signature does not meet the validation policy",
}
MAX_EMBEDDED_BYTES = 1024 * 1024


@dataclass(frozen=True)
class PdfSignatureCheck:
    """Outcome of verify_pdf_signature.

    ``intact``: the signed bytes hash to the value the signature covers.
    ``sound``: intact, a correct signature value, and nothing added after it (whoever signed).
    ``trusted``: the signer certificate is one of the trust roots given.
    ``valid``: sound and trusted.
    ``problem``: why not valid, as a code: unreadable, unsigned, uncheckable, changed,
    bad_value, partial, untrusted or policy.
    """

    intact: bool
    valid: bool
    signer_subject: str | None
    covers_whole_document: bool = False
    reason: str | None = None
    sound: bool = False
    trusted: bool = False
    problem: str | None = None


def _asn1_certificate(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


class _LoadedKeySigner(signers.SimpleSigner):
    """pyHanko's SimpleSigner parses its key again (with OpenSSL's RSA consistency check,
    about 0.3 s for RSA-3072) on every signature it makes; this one signs with the key
    already loaded, so a signer made once can be reused for every certificate."""

    def __init__(self, key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey, **kwargs: object):
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._key = key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        hash_algorithm = get_pyca_cryptography_hash(digest_algorithm)
        if isinstance(self._key, rsa.RSAPrivateKey) and mechanism == "rsassa_pkcs1v15":
            return self._key.sign(data, PKCS1v15(), hash_algorithm)
        if isinstance(self._key, ec.EllipticCurvePrivateKey) and mechanism == "ecdsa":
            return self._key.sign(data, ec.ECDSA(hash_algorithm))
        return super().sign_raw(data, digest_algorithm)


def make_signer(material: SigningMaterial) -> signers.SimpleSigner:
    """A pyHanko signer for a document-signing key and its certificate chain (reusable)."""
    key_der = material.key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    certificate = _asn1_certificate(material.certificate)
    chain = [_asn1_certificate(extra) for extra in material.chain]
    return _LoadedKeySigner(
        material.key,
        signing_cert=certificate,
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        cert_registry=SimpleCertificateStore.from_certs([certificate, *chain]),
    )


def sign_pdf(
    pdf: bytes,
    material: SigningMaterial,
    reason: str | None = None,
    location: str | None = None,
    signer_name: str | None = None,
    signer: signers.Signer | None = None,
) -> bytes:
    """Sign ``pdf`` (PAdES B-B, SHA-256) in an incremental update; return the signed bytes.

    Pass ``signer`` (from make_signer) to reuse one across many documents."""
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
        name=signer_name,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    output = signers.PdfSigner(metadata, signer=signer or make_signer(material)).sign_pdf(writer)
    return output.getvalue()


def verify_pdf_signature(pdf: bytes, trust_roots: list[x509.Certificate]) -> PdfSignatureCheck:
    """Validate the last signature of ``pdf`` against ``trust_roots``; never raises.

    Pass the signing certificates themselves as ``trust_roots`` (a CA would vouch for
    every certificate it ever issued). No revocation information is fetched: the
    institution's certificate is trusted directly, and revoking a certificate is done by
    revoking its credentials.
    """
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_regular_signatures
    except Exception as exc:  # any parse failure of untrusted input means "not valid"
        return PdfSignatureCheck(
            False, False, None, reason=f"unreadable PDF: {exc}", problem="unreadable"
        )
    if not signatures:
        return PdfSignatureCheck(
            False, False, None, reason="the PDF is not signed", problem="unsigned"
        )
    embedded = signatures[-1]
    context = ValidationContext(
        trust_roots=[_asn1_certificate(root) for root in trust_roots],
        allow_fetching=False,
        revocation_mode="soft-fail",
    )
    try:
        subject = embedded.signer_cert.subject.human_friendly
        status = validate_pdf_signature(embedded, signer_validation_context=context)
    except Exception as exc:  # malformed CMS, unsupported algorithms...
        return PdfSignatureCheck(
            False,
            False,
            None,
            reason=f"signature cannot be checked: {exc}",
            problem="uncheckable",
        )
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    sound = status.intact and status.valid and whole
    valid = status.bottom_line and whole
    problem = None
    if not status.intact:
        problem = "changed"
    elif not status.valid:
        problem = "bad_value"
    elif not whole:
        problem = "partial"
    elif not status.trusted:
        problem = "untrusted"
    elif not valid:
        problem = "policy"
    return PdfSignatureCheck(
        status.intact,
        valid,
        subject,
        whole,
        PROBLEMS.get(problem or ""),
        sound=sound,
        trusted=status.trusted,
        problem=problem,
    )


def _name_tree_lookup(
    node: generic.DictionaryObject, name: str, depth: int = 0
) -> generic.PdfObject | None:
    if depth > MAX_NAME_TREE_DEPTH:
        return None
    names = node.get("/Names")
    if names is not None:
        names = names.get_object()  # the array may be an indirect object
        for index in range(0, len(names) - 1, 2):
            if str(names[index]) == name:
                return names[index + 1]
    kids = node.get("/Kids")
    for kid in kids.get_object() if kids is not None else []:
        found = _name_tree_lookup(kid.get_object(), name, depth + 1)
        if found is not None:
            return found
    return None


def _bounded_data(stream: generic.StreamObject, max_bytes: int) -> bytes:
    """The stream's data, never inflated past ``max_bytes + 1`` bytes (a FlateDecode bomb
    stops there). Only the raw and FlateDecode forms an attachment takes are read."""
    filters = stream.get("/Filter")
    names = [str(f) for f in filters] if isinstance(filters, list) else [str(filters or "")]
    if names in ([""], []):
        return stream.encoded_data[: max_bytes + 1]
    if names == ["/FlateDecode"] and "/DecodeParms" not in stream:
        return zlib.decompressobj().decompress(stream.encoded_data, max_bytes + 1)
    raise ValueError(f"embedded file uses filters {names}, not FlateDecode")


def extract_embedded_file(
    pdf: bytes, name: str = "credential.json", max_bytes: int = MAX_EMBEDDED_BYTES
) -> bytes | None:
    """The bytes of the embedded file ``name`` in ``pdf``, or None if it has none.

    A file longer than ``max_bytes`` comes back cut at ``max_bytes + 1`` bytes, so that the
    caller sees it is too long without it ever being inflated in full.
    """
    try:
        root = PdfFileReader(io.BytesIO(pdf), strict=False).root
        tree = root["/Names"]["/EmbeddedFiles"] if "/Names" in root else None
        filespec = _name_tree_lookup(tree, name) if tree is not None else None
        if filespec is None:
            return None
        return _bounded_data(filespec["/EF"]["/F"].get_object(), max_bytes)
    except Exception as exc:  # a broken or hostile PDF simply has no usable attachment
        logger.info("cannot read embedded file %r: %s", name, exc)
        return None

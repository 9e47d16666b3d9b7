"""RDF Dataset Canonicalization (RDFC-1.0) of JSON-LD documents, with pinned contexts, in safe mode.

JSON-LD contexts come only from the files shipped in ``contexts/`` (see its README): any other
URL is an error, never a fetch. pyld 3.3 has no safe mode, so this module makes one: whatever a
document states that its canonical form would not carry is an error, never a silent drop:

- a term no context defines (pyld reports each property expansion drops);
- a null, an ``@index``, or any other value expansion or RDF drops (the values the document
  states are counted against those the expanded form will carry into RDF);
- an ``@id``, ``@type`` or property that is not an absolute IRI (RDF conversion drops it);
- a malformed language tag (it would corrupt the N-Quads) or an ``@direction`` (not carried
  into RDF).

Canonicalisation stops after MAX_N_DEGREE_HASHES N-degree hashes, so that a crafted dataset
cannot make it run for hours.
"""

import copy
import functools
import json
import re
import threading
from pathlib import Path
from typing import Any

from cachetools import LRUCache
from pyld import jsonld
from pyld.canon import URDNA2015
from pyld.context_resolver import ContextResolver

from .dataintegrity import ProofError

PROOF_TRANSFORMATION_ERROR = "PROOF_TRANSFORMATION_ERROR"

CONTEXTS_DIR = Path(__file__).resolve().parent / "contexts"
CONTEXT_FILES = {
    "https://www.w3.org/ns/credentials/v2": "credentials-v2.jsonld",
    "https://www.w3.org/ns/credentials/examples/v2": "credentials-examples-v2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-context-3.0.3.json",
    "https://w3id.org/security/multikey/v1": "multikey-v1.jsonld",
    "https://www.w3.org/ns/did/v1": "did-v1.jsonld",
}

# RDFC-1.0 section 4.4 asks implementations to bound the work a crafted dataset (many blank
# nodes that only the N-degree hash can tell apart) can cause. A credential needs none or a few.
MAX_N_DEGREE_HASHES = 1000

# pyld's notion of an absolute IRI, narrowed to what N-Quads can carry in an IRIREF.
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>\"{}|^`\\]*")
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")
# Shared by all canonicalisations, and by nothing else in the process: a context another pyld
# user resolved (perhaps by fetching it) can never stand in for a shipped one.
_resolved_contexts: LRUCache = LRUCache(maxsize=64)
# pyld mutates that cache and the processed-context caches inside it, and cachetools caches
# are not thread-safe. The work is pure Python under the GIL, so the lock costs no parallelism.
_pyld_lock = threading.Lock()


class ContextError(ProofError):
    """A document names a JSON-LD context that is not one of the shipped ones."""


class UnsafeDocumentError(ProofError):
    """Part of a document would not be carried into its canonical form (safe mode)."""


@functools.cache
def _shipped_contexts() -> dict[str, Any]:
    return {
        url: json.loads((CONTEXTS_DIR / name).read_text(encoding="utf-8"))
        for url, name in CONTEXT_FILES.items()
    }


def load_context(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """pyld document loader: a shipped context by its URL; any other URL is refused."""
    document = _shipped_contexts().get(url)
    if document is None:
        raise ContextError(
            f"JSON-LD context {url!r} is not one of the contexts Kompeten ships "
            f"({', '.join(CONTEXT_FILES)}); contexts are never fetched"
        )
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": copy.deepcopy(document),
        # "static": pyld keeps the resolved context in the shared cache, not per operation.
        "tag": "static",
    }


def _pyld_options() -> dict[str, Any]:
    # base None: pyld would otherwise resolve relative IRIs against http://example.org/base/.
    return {
        "base": None,
        "documentLoader": load_context,
        "contextResolver": ContextResolver(_resolved_contexts, load_context),
    }


class _TooComplex(Exception):
    pass


class _BoundedCanonicalizer(URDNA2015):
    """URDNA2015 (RDFC-1.0) that gives up after MAX_N_DEGREE_HASHES N-degree hashes."""

    def __init__(self) -> None:
        super().__init__()
        self.budget = MAX_N_DEGREE_HASHES

    def hash_n_degree_quads(self, id_: str, issuer: Any) -> dict[str, Any]:
        self.budget -= 1
        if self.budget < 0:
            raise _TooComplex
        return super().hash_n_degree_quads(id_, issuer)


def _jsonld_failure(exc: BaseException, code: str) -> ProofError:
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ContextError):
            return ContextError(str(cause), code)
        cause = cause.__cause__ or cause.__context__
    if isinstance(exc, jsonld.JsonLdError):
        detail = exc.code or exc.type
        return ProofError(f"JSON-LD processing failed ({detail}): {exc.args[0]}", code)
    return ProofError(f"JSON-LD processing failed: {type(exc).__name__}: {exc}", code)


def _document_values(value: Any) -> int:
    """How many values the compacted ``value`` states (contexts excluded)."""
    if isinstance(value, list):
        return sum(_document_values(item) for item in value)
    if isinstance(value, dict):
        if "@value" in value:
            return _json_values(value["@value"]) + ("@index" in value)
        return sum(_document_values(item) for key, item in value.items() if key != "@context")
    return 1


def _json_values(value: Any) -> int:
    if isinstance(value, list):
        return sum(_json_values(item) for item in value)
    if isinstance(value, dict):
        return sum(_json_values(item) for item in value.values())
    return 1


def _expanded_values(value: Any) -> int:
    """How many of those values RDF will carry: ids, types and literal values (an ``@index``
    is not carried, so stating one is refused; the keys of an index map are not values)."""
    if isinstance(value, list):
        return sum(_expanded_values(item) for item in value)
    if not isinstance(value, dict):
        return 1
    if "@value" in value:
        return _json_values(value["@value"])
    total = 0
    for key, item in value.items():
        if key == "@id":
            total += 1
        elif key == "@type":
            total += len(item)
        elif key != "@index":
            total += _expanded_values(item)
    return total


def _check_expanded(value: Any, code: str) -> None:
    """Refuse what the RDF conversion would drop or could not write as N-Quads."""
    if isinstance(value, list):
        for item in value:
            _check_expanded(item, code)
        return
    if not isinstance(value, dict):
        return
    if "@value" in value:
        language = value.get("@language")
        if language is not None and not _LANGUAGE_TAG.fullmatch(language):
            raise UnsafeDocumentError(f"{language!r} is not a well-formed language tag", code)
        if "@direction" in value:
            raise UnsafeDocumentError(
                f"the base direction of {value['@value']!r} would not be signed "
                "(@direction is not carried into RDF)",
                code,
            )
        return
    for key, item in value.items():
        if key in ("@id", "@type"):
            for iri in item if isinstance(item, list) else [item]:
                if not _is_node_iri(iri):
                    raise UnsafeDocumentError(
                        f"{key} {iri!r} is not an absolute IRI, so it would not be signed "
                        "(a term the @context does not define, or a relative reference)",
                        code,
                    )
        elif key.startswith("@"):
            _check_expanded(item, code)
        elif not _IRI.fullmatch(key):
            raise UnsafeDocumentError(
                f"property {key!r} is not an IRI, so it would not be signed", code
            )
        else:
            _check_expanded(item, code)


def _is_node_iri(value: Any) -> bool:
    return isinstance(value, str) and (value.startswith("_:") or bool(_IRI.fullmatch(value)))


def canonicalize(document: dict[str, Any], code: str = PROOF_TRANSFORMATION_ERROR) -> bytes:
    """RDFC-1.0 canonical N-Quads (UTF-8) of a JSON-LD document, in safe mode."""
    if not isinstance(document, dict) or "@context" not in document:
        raise UnsafeDocumentError(
            "the document has no @context, so none of its terms is defined", code
        )
    dropped: list[str | None] = []
    processor = jsonld.JsonLdProcessor(on_property_dropped=dropped.append)
    options = _pyld_options()
    try:
        with _pyld_lock:
            expanded = processor.expand(copy.deepcopy(document), options)
    except Exception as exc:  # pyld reports malformed input through many exception types
        raise _jsonld_failure(exc, code) from exc
    if dropped:
        names = sorted(
            {repr(name) if name else "a null-mapped or keyword-like key" for name in dropped}
        )
        raise UnsafeDocumentError(
            f"the @context does not define {', '.join(names)}, so it would not be signed", code
        )
    if len(expanded) != 1:
        raise UnsafeDocumentError("the document does not expand to exactly one node", code)
    _check_expanded(expanded, code)
    stated, kept = _document_values(document), _expanded_values(expanded)
    if stated != kept:
        raise UnsafeDocumentError(
            f"the document states {stated} values but its canonical form would carry {kept}: "
            "what it drops would not be signed (a null, an @index, a value JSON-LD drops)",
            code,
        )
    try:
        with _pyld_lock:
            dataset = jsonld.to_rdf(expanded, options)
        nquads = _BoundedCanonicalizer().main(dataset, {"format": "application/n-quads"})
    except _TooComplex as exc:
        raise UnsafeDocumentError(
            f"the document's blank nodes need more than {MAX_N_DEGREE_HASHES} N-degree hashes "
            "to canonicalise (RDFC-1.0 poison dataset guard)",
            code,
        ) from exc
    except Exception as exc:  # as above
        raise _jsonld_failure(exc, code) from exc
    return nquads.encode("utf-8")

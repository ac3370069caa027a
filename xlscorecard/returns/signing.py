"""Signing a return, so that a council can prove a return is theirs (Ed25519).

``save-return --sign KEY`` writes ``<return>.sig`` beside the return: a small JSON document
naming the month, when and by whom it was saved, and the SHA-256 of the return's bytes and of
its PDF's, signed with the council's private key. ``verify --key PUBLIC`` checks that signature
and those SHA-256s: a return (or PDF) changed by anyone without the private key fails, however
its checksums were recomputed. ``xlscorecard keygen`` makes a key pair.

Needs the ``cryptography`` package (``pip install 'xlscorecard[sign]'``), imported only here.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import ScorecardError

SIGNATURE_SUFFIX = ".sig"
FORMAT = "xlscorecard return signature 1"
NO_CRYPTOGRAPHY = (
    "signing needs the cryptography package: pip install 'xlscorecard[sign]' (or pip install "
    "cryptography)"
)


def _crypto():
    try:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ed25519
    except ImportError:  # pragma: no cover - the test extra installs it
        raise ScorecardError(NO_CRYPTOGRAPHY) from None
    return serialization, ed25519, InvalidSignature


@dataclass(frozen=True)
class Signer:
    key: object
    fingerprint: str


def fingerprint(public_bytes: bytes) -> str:
    """A short name for a public key: the first 16 hex digits of the SHA-256 of its raw bytes."""
    return hashlib.sha256(public_bytes).hexdigest()[:16]


def _raw_public(public_key) -> bytes:
    serialization, _, _ = _crypto()
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def load_signer(path: Path) -> Signer:
    """The private key in ``path`` (PEM, Ed25519), or an error saying what it is instead."""
    serialization, ed25519, _ = _crypto()
    data = _read(path, "private key")
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as error:
        raise ScorecardError(
            f"{path} is not an unencrypted PEM private key ({error}): make one with "
            "xlscorecard keygen"
        ) from None
    if not isinstance(key, ed25519.Ed25519PrivateKey):
        raise ScorecardError(f"{path} is not an Ed25519 key: make one with xlscorecard keygen")
    return Signer(key, fingerprint(_raw_public(key.public_key())))


def load_public_key(path: Path):
    serialization, ed25519, _ = _crypto()
    data = _read(path, "public key")
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError) as error:
        raise ScorecardError(f"{path} is not a PEM public key ({error})") from None
    if not isinstance(key, ed25519.Ed25519PublicKey):
        raise ScorecardError(f"{path} is not an Ed25519 public key")
    return key


def _read(path: Path, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise ScorecardError(f"cannot read the {what} {path}: {error.strerror}") from None


def manifest(fields: dict[str, str]) -> bytes:
    """The signed statement: sorted JSON of the return's facts."""
    return json.dumps({"format": FORMAT, **fields}, sort_keys=True, ensure_ascii=False).encode()


def sign(signer: Signer, fields: dict[str, str]) -> str:
    """The signature document (JSON text) for ``fields``."""
    signature = signer.key.sign(manifest(fields))  # type: ignore[attr-defined]
    return json.dumps(
        {
            "signed": {"format": FORMAT, **fields},
            "key": signer.fingerprint,
            "signature": base64.b64encode(signature).decode("ascii"),
        },
        indent=1,
        sort_keys=True,
        ensure_ascii=False,
    )


def check_signature(public_key, text: str) -> tuple[dict[str, str], str]:
    """The signed fields and the key's fingerprint, or an error when the signature does not
    verify with ``public_key``."""
    _, _, invalid = _crypto()
    try:
        document = json.loads(text)
        fields = dict(document["signed"])
        signature = base64.b64decode(document["signature"])
    except (ValueError, KeyError, TypeError) as error:
        raise SignatureProblem(f"the signature file cannot be read ({error})") from None
    if fields.get("format") != FORMAT:
        raise SignatureProblem("the signature file is not an xlscorecard return signature")
    fields.pop("format")
    try:
        public_key.verify(signature, manifest(fields))
    except invalid:
        raise SignatureProblem(
            "the signature does not verify with this key: the return was not signed with its "
            "private key, or what it signs was changed"
        ) from None
    return fields, fingerprint(_raw_public(public_key))


class SignatureProblem(Exception):
    """A signature that does not hold (a finding of verify, not an unusable input)."""


def make_key_pair(private: Path) -> tuple[Path, Path]:
    """Write a new Ed25519 private key to ``private`` (readable by its owner only) and its
    public key beside it as ``<name>.pub``; never over an existing file."""
    serialization, ed25519, _ = _crypto()
    private = Path(private)
    public = private.with_name(private.name + ".pub")
    for path in (private, public):
        if path.exists():
            raise ScorecardError(f"{path} exists already: keygen never replaces a key")
    key = ed25519.Ed25519PrivateKey.generate()
    secret = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    shared = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    made: list[Path] = []
    try:
        for path, data, mode in ((private, secret, 0o600), (public, shared, 0o644)):
            handle = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, mode)
            made.append(path)
            with os.fdopen(handle, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
    except OSError as error:
        for path in made:  # no half key pair is left behind
            with contextlib.suppress(OSError):
                path.unlink()
        raise ScorecardError(
            f"cannot write the key pair {private}: {error.strerror}; no key was made"
        ) from None
    return private, public

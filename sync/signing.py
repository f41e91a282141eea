"""Ed25519 keys for the operator: the only module that touches ``cryptography``.

The operator signs every manifest, snapshot chunk, delta and status batch with its private key;
the car holds only public keys. Keys are PEM files (PKCS#8 private, SubjectPublicKeyInfo
public) so that standard tools (``openssl pkey -in x.key``) can read them too.

A car may trust more than one key (:func:`load_verifier` takes several files): that is how the
operator's key is rotated without a fleet going silent (``docs/sync.md``, "Rotating the key").
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from sync.errors import KeyFileError

SIGNATURE_BYTES = 64


@dataclass(frozen=True)
class Signer:
    """Signs payload bytes with the operator's private key."""

    _key: Ed25519PrivateKey

    def sign(self, data: bytes) -> bytes:
        return self._key.sign(data)

    @property
    def verifier(self) -> Verifier:
        return Verifier(self._key.public_key())

    @property
    def key_id(self) -> str:
        """A short fingerprint of the public key (what the publisher's state records)."""
        return key_id(self._key.public_key())


def key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


class Verifier:
    """Checks signatures with the operator's public key(s) (what the car holds): a signature by
    any of them is good."""

    def __init__(self, *keys: Ed25519PublicKey) -> None:
        if not keys:
            raise KeyFileError("no public key")
        self._keys = keys

    def verify(self, signature: bytes, data: bytes) -> bool:
        for k in self._keys:
            try:
                k.verify(signature, data)
            except InvalidSignature:
                continue
            return True
        return False

    @property
    def key_ids(self) -> tuple[str, ...]:
        return tuple(key_id(k) for k in self._keys)

    def public_pem(self) -> bytes:
        return self._keys[0].public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def generate_signer() -> Signer:
    return Signer(Ed25519PrivateKey.generate())


def write_keypair(prefix: Path | str, *, overwrite: bool = False) -> tuple[Path, Path]:
    """Write ``PREFIX.key`` (mode 0600) and ``PREFIX.pub``; refuses to overwrite a key unless told."""
    key_path, pub_path = Path(f"{prefix}.key"), Path(f"{prefix}.pub")
    if not overwrite and (key_path.exists() or pub_path.exists()):
        raise KeyFileError(f"{key_path} or {pub_path} exists; refusing to overwrite a key")
    key_path.parent.mkdir(parents=True, exist_ok=True)
    signer = generate_signer()
    pem = signer._key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    pub_path.write_bytes(signer.verifier.public_pem())
    return key_path, pub_path


def load_signer(path: Path | str) -> Signer:
    try:
        key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    except (ValueError, TypeError) as exc:
        raise KeyFileError(f"{path}: not a private key: {exc}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{path}: not an Ed25519 private key")
    return Signer(key)


def load_verifier(*paths: Path | str) -> Verifier:
    """A verifier trusting the Ed25519 public key in each of ``paths``."""
    keys = []
    for path in paths:
        try:
            key = serialization.load_pem_public_key(Path(path).read_bytes())
        except (ValueError, TypeError) as exc:
            raise KeyFileError(f"{path}: not a public key: {exc}") from exc
        if not isinstance(key, Ed25519PublicKey):
            raise KeyFileError(f"{path}: not an Ed25519 public key")
        keys.append(key)
    return Verifier(*keys)

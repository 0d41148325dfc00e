"""Signed notes, their Ed25519 keys, and checkpoints (c2sp.org/signed-note, tlog-checkpoint).

A checkpoint is the text ``<origin>\\n<tree size>\\n<base64 root hash>\\n`` signed as a note:
a blank line, then one ``— <key name> <base64(key id || signature)>`` line per signature. Keys
travel in the formats of Go's ``golang.org/x/mod/sumdb/note``, which the specification's
examples use: the verifier key ``<name>+<hex key id>+<base64(0x01 || public key)>`` that is
published, and the signer key ``PRIVATE+KEY+<name>+<hex key id>+<base64(0x01 || seed)>``
that only CI holds. Ed25519 comes from the ``cryptography`` package (OpenSSL).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from discloser.errors import DiscloserError

ED25519 = 0x01
DASH = "\u2014"
MAX_SIGNATURES = 100
_SPACES = re.compile(r"\s")


class NoteError(DiscloserError):
    """A note, a key or a checkpoint is malformed, or no trusted signature verifies."""

    exit_code = 1


def _b64(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise NoteError(f"not base64: {text[:40]!r}") from None


def _check_name(name: str) -> None:
    if not name or "+" in name or _SPACES.search(name):
        raise NoteError(f"bad key name {name!r}: non-empty, no spaces, no '+'")


def key_id(name: str, public: bytes) -> int:
    """SHA-256(key name || 0x0A || 0x01 || 32-byte public key)[:4], big-endian."""
    digest = hashlib.sha256(name.encode("utf-8") + b"\n" + bytes([ED25519]) + public).digest()
    return int.from_bytes(digest[:4], "big")


@dataclass(frozen=True)
class Verifier:
    """A public key that may check signatures named ``name`` with ``id``."""

    name: str
    id: int
    public: bytes

    @classmethod
    def parse(cls, vkey: str) -> Verifier:
        name, _, rest = vkey.strip().partition("+")
        hex_id, _, material = rest.partition("+")
        _check_name(name)
        if not re.fullmatch(r"[0-9a-f]{8}", hex_id):
            raise NoteError(f"verifier key {vkey.strip()[:60]!r}: the key id is 8 hex digits")
        raw = _b64(material)
        if len(raw) != 33 or raw[0] != ED25519:
            raise NoteError(f"verifier key of {name}: not an Ed25519 key")
        verifier = cls(name, int(hex_id, 16), raw[1:])
        if key_id(name, verifier.public) != verifier.id:
            raise NoteError(f"verifier key of {name}: the key id does not match the key")
        return verifier

    def text(self) -> str:
        material = base64.b64encode(bytes([ED25519]) + self.public).decode()
        return f"{self.name}+{self.id:08x}+{material}"

    def verify(self, message: bytes, signature: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.public).verify(signature, message)
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True)
class Signer:
    """A private key, named: it signs notes as ``name``."""

    name: str
    id: int
    seed: bytes

    @classmethod
    def generate(cls, name: str) -> Signer:
        from cryptography.hazmat.primitives import serialization

        _check_name(name)
        seed = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        return cls._of(name, seed)

    @classmethod
    def _of(cls, name: str, seed: bytes) -> Signer:
        public = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw()
        return cls(name, key_id(name, public), seed)

    @classmethod
    def parse(cls, skey: str) -> Signer:
        parts = skey.strip().split("+", 4)
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            raise NoteError("not a signing key: it begins PRIVATE+KEY+<name>+<id>+")
        name, hex_id, material = parts[2:]
        _check_name(name)
        raw = _b64(material)
        if len(raw) != 33 or raw[0] != ED25519:
            raise NoteError(f"signing key of {name}: not an Ed25519 key")
        signer = cls._of(name, raw[1:])
        if not re.fullmatch(r"[0-9a-f]{8}", hex_id) or int(hex_id, 16) != signer.id:
            raise NoteError(f"signing key of {name}: the key id does not match the key")
        return signer

    def text(self) -> str:
        material = base64.b64encode(bytes([ED25519]) + self.seed).decode()
        return f"PRIVATE+KEY+{self.name}+{self.id:08x}+{material}"

    @property
    def verifier(self) -> Verifier:
        public = Ed25519PrivateKey.from_private_bytes(self.seed).public_key().public_bytes_raw()
        return Verifier(self.name, self.id, public)

    def sign(self, message: bytes) -> bytes:
        return Ed25519PrivateKey.from_private_bytes(self.seed).sign(message)


def sign(text: str, signers: list[Signer]) -> str:
    """The signed note of ``text`` (which ends in a newline)."""
    _check_text(text)
    lines = []
    for s in signers:
        blob = s.id.to_bytes(4, "big") + s.sign(text.encode("utf-8"))
        lines.append(f"{DASH} {s.name} {base64.b64encode(blob).decode()}\n")
    return text + "\n" + "".join(lines)


def _check_text(text: str) -> None:
    if not text.endswith("\n"):
        raise NoteError("a note's text ends with a newline")
    if any(ord(c) < 0x20 and c != "\n" for c in text):
        raise NoteError("a note holds no control characters but newlines")


@dataclass(frozen=True)
class Opened:
    text: str
    signed_by: list[Verifier]


def split(note: str) -> tuple[str, list[tuple[str, int, bytes]]]:
    """The text and the ``(name, key id, signature)`` of each signature line, unverified."""
    if not note.endswith("\n"):
        raise NoteError("a signed note ends with a newline")
    cut = note.rfind("\n\n")
    if cut < 0:
        raise NoteError("a signed note has a blank line before its signatures")
    text, block = note[: cut + 1], note[cut + 2 :]
    _check_text(text)
    signatures = []
    for line in block[:-1].split("\n"):
        prefix = f"{DASH} "
        if not line.startswith(prefix):
            raise NoteError(f"not a signature line: {line[:60]!r}")
        name, _, blob = line[len(prefix) :].partition(" ")
        _check_name(name)
        raw = _b64(blob)
        if len(raw) < 5:
            raise NoteError(f"signature of {name} too short")
        signatures.append((name, int.from_bytes(raw[:4], "big"), raw[4:]))
    if not signatures:
        raise NoteError("a signed note has at least one signature")
    if len(signatures) > MAX_SIGNATURES:
        raise NoteError(f"more than {MAX_SIGNATURES} signatures")
    return text, signatures


def open_note(note: str, verifiers: list[Verifier]) -> Opened:
    """The text of ``note`` when a trusted key signed it, as the specification requires.

    Signatures from unknown keys (name and id both unmatched) are ignored; a known key whose
    signature fails rejects the note; no verified known signature rejects it too.
    """
    text, signatures = split(note)
    known = {(v.name, v.id): v for v in verifiers}
    good = []
    for name, kid, signature in signatures:
        v = known.get((name, kid))
        if v is None:
            continue
        if not v.verify(text.encode("utf-8"), signature):
            raise NoteError(f"the signature of {name} (key {kid:08x}) does not verify")
        good.append(v)
    if not good:
        names = ", ".join(sorted({f"{n} ({k:08x})" for n, k, _ in signatures}))
        raise NoteError(f"not signed by a trusted key (signed by {names})")
    return Opened(text, good)


# ---------------------------------------------------------------------- checkpoints


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes

    def text(self) -> str:
        return f"{self.origin}\n{self.size}\n{base64.b64encode(self.root).decode()}\n"

    @property
    def root_b64(self) -> str:
        return base64.b64encode(self.root).decode()

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        lines = text.split("\n")
        if len(lines) < 4 or lines[-1] != "" or not all(lines[:-1]):
            raise NoteError("a checkpoint is origin, tree size and root hash, one per line")
        origin, size, root = lines[0], lines[1], lines[2]
        if not re.fullmatch(r"0|[1-9][0-9]*", size):
            raise NoteError(f"checkpoint tree size {size[:30]!r} is not a decimal number")
        digest = _b64(root)
        if len(digest) != 32:
            raise NoteError("checkpoint root hash is not 32 bytes")
        return cls(origin, int(size), digest)


def open_checkpoint(note: str, verifiers: list[Verifier]) -> Checkpoint:
    """The checkpoint of a signed note, once a trusted key with the origin's name signed it."""
    opened = open_note(note, verifiers)
    checkpoint = Checkpoint.parse(opened.text)
    if not any(v.name == checkpoint.origin for v in opened.signed_by):
        raise NoteError(f"checkpoint of {checkpoint.origin} is not signed by that log's key")
    return checkpoint


def read_verifiers(text: str, where: str) -> list[Verifier]:
    """One verifier key a line (blank lines and ``#`` comments skipped)."""
    out = []
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            try:
                out.append(Verifier.parse(line))
            except NoteError as exc:
                raise NoteError(f"{where}:{number}: {exc}") from None
    return out

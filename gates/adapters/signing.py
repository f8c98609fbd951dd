"""Signing and verifying attestations with a key from the environment.

HMAC-SHA256 (stdlib `hmac`, a shared secret) or Ed25519 (the `cryptography`
package). No home-made crypto: the DSSE pre-authentication encoding is what
is signed, and comparisons are constant-time.

  GATE_HMAC_KEY              shared secret: signs and verifies
  GATE_ED25519_PRIVATE_KEY   signs: PEM (PKCS#8) or base64 of the 32 raw bytes
  GATE_ED25519_PUBLIC_KEY    verifies: PEM (SubjectPublicKeyInfo) or base64 of the 32 raw bytes
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gates.errors import GateError
from gates.knowledge.attestation import PAYLOAD_TYPE, pae

HMAC_ENV = "GATE_HMAC_KEY"
PRIVATE_ENV = "GATE_ED25519_PRIVATE_KEY"
PUBLIC_ENV = "GATE_ED25519_PUBLIC_KEY"


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reason: str


def _hmac_keyid(secret: bytes) -> str:
    return "hmac-sha256:" + hashlib.sha256(b"gate-keyid\0" + secret).hexdigest()[:16]


def _ed25519_keyid(public_raw: bytes) -> str:
    return "ed25519:" + hashlib.sha256(public_raw).hexdigest()[:16]


def _key_bytes(text: str, name: str, private: bool) -> Any:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    kind = ed25519.Ed25519PrivateKey if private else ed25519.Ed25519PublicKey
    try:
        if "-----BEGIN" in text:
            loader = (
                serialization.load_pem_private_key if private else serialization.load_pem_public_key
            )
            key = loader(text.encode(), password=None) if private else loader(text.encode())
        else:
            raw = base64.b64decode(text.strip(), validate=True)
            key = kind.from_private_bytes(raw) if private else kind.from_public_bytes(raw)
    except (ValueError, TypeError) as exc:
        raise GateError(
            f"{name} is not an Ed25519 key ({exc})",
            hint="give a PEM key, or base64 of the 32 raw key bytes",
        ) from None
    if not isinstance(key, kind):
        raise GateError(
            f"{name} is not an Ed25519 key", hint="generate one: openssl genpkey -algorithm ed25519"
        )
    return key


def _public_raw(public_key: Any) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _refuse_empty(env: Mapping[str, str], names: tuple[str, ...]) -> None:
    """A key variable that is set but empty is what a missing CI secret expands to: it must
    not read as "no key configured", which would let an unsigned attestation through."""
    for name in names:
        if name in env and not str(env[name]).strip():
            raise GateError(
                f"{name} is set but empty: the CI secret behind it is missing",
                hint=f"define the secret for this job, or unset {name}",
            )


def sign(payload: bytes, env: Mapping[str, str]) -> list[dict[str, str]]:
    """Signatures over the payload with every signing key set in the environment (maybe none)."""
    _refuse_empty(env, (HMAC_ENV, PRIVATE_ENV))
    message = pae(PAYLOAD_TYPE, payload)
    signatures = []
    secret = env.get(HMAC_ENV)
    if secret:
        digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
        signatures.append(
            {"keyid": _hmac_keyid(secret.encode()), "sig": base64.b64encode(digest).decode()}
        )
    private_text = env.get(PRIVATE_ENV)
    if private_text:
        key = _key_bytes(private_text, PRIVATE_ENV, private=True)
        signatures.append(
            {
                "keyid": _ed25519_keyid(_public_raw(key.public_key())),
                "sig": base64.b64encode(key.sign(message)).decode(),
            }
        )
    return signatures


def has_verification_key(env: Mapping[str, str]) -> bool:
    return bool(env.get(HMAC_ENV) or env.get(PUBLIC_ENV))


def verify(payload: bytes, signatures: list[dict[str, str]], env: Mapping[str, str]) -> Verdict:
    """Whether a signature by a key of the environment covers the payload.

    With a key configured, an unsigned or wrongly signed attestation is refused;
    with none, a signed one is refused too (it cannot be checked), and an unsigned
    one is accepted as it is.
    """
    _refuse_empty(env, (HMAC_ENV, PUBLIC_ENV))
    message = pae(PAYLOAD_TYPE, payload)
    if not has_verification_key(env):
        if signatures:
            return Verdict(
                False, f"it is signed, but no key to verify it is set ({HMAC_ENV} or {PUBLIC_ENV})"
            )
        return Verdict(True, "unsigned (no verification key configured)")
    if not signatures:
        return Verdict(False, "it is not signed, and a verification key is configured")
    secret = env.get(HMAC_ENV)
    public_text = env.get(PUBLIC_ENV)
    public_key = _key_bytes(public_text, PUBLIC_ENV, private=False) if public_text else None
    for signature in signatures:
        try:
            sig = base64.b64decode(str(signature.get("sig", "")), validate=True)
        except ValueError:
            continue
        keyid = str(signature.get("keyid", ""))
        if secret and keyid == _hmac_keyid(secret.encode()):
            expected = hmac.new(secret.encode(), message, hashlib.sha256).digest()
            if hmac.compare_digest(expected, sig):
                return Verdict(True, f"signed ({keyid})")
        if public_key is not None and keyid == _ed25519_keyid(_public_raw(public_key)):
            from cryptography.exceptions import InvalidSignature

            try:
                public_key.verify(sig, message)
            except InvalidSignature:
                continue
            return Verdict(True, f"signed ({keyid})")
    keyids = ", ".join(str(s.get("keyid")) for s in signatures)
    return Verdict(
        False, f"no valid signature by a configured key (signed by {keyids}): tampered or foreign"
    )

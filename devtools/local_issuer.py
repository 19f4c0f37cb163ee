"""A stand-in for the Auth0 tenant in development and tests: a key that signs tokens
the real verifier accepts."""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import time
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jose import jwk, jwt
from jose.backends.base import Key


class LocalIssuer:
    """An RSA key kept in a file (under instance/, never committed), its public half
    published as a key set, and tokens signed with it."""

    def __init__(self, key_file: str, issuer: str, audience: str) -> None:
        self.issuer, self.audience = issuer, audience
        path = Path(key_file)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch(mode=0o600)
            path.write_bytes(_new_private_key_pem())
        self._private_key = _signing_key(path.read_bytes())
        public = self._private_key.public_key().to_dict()
        self.public_jwk = {k: v for k, v in public.items() if k in ("kty", "n", "e")}
        self.kid = _thumbprint(self.public_jwk)

    def key_set(self) -> dict[str, Any]:
        return {"keys": [{**self.public_jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def mint(
        self, permissions: list[str], subject: str = "local|staff", lifetime: int = 3600
    ) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": subject,
            "iat": now,
            "exp": now + lifetime,
            "permissions": permissions,
        }
        return self.sign(claims)

    def sign(self, claims: dict[str, Any], headers: dict[str, Any] | None = None) -> str:
        return jwt.encode(
            claims,
            self._private_key,  # type: ignore[arg-type]  # python-jose takes a Key too
            algorithm="RS256",
            headers={"kid": self.kid, **(headers or {})},
        )


def _new_private_key_pem() -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


@functools.lru_cache(maxsize=8)
def _signing_key(pem: bytes) -> Key:
    """Parsing a PEM key validates the RSA numbers, about 30 ms each time: done once per
    key, not once per app or per token."""
    return jwk.construct(pem, "RS256")


def _thumbprint(public_jwk: dict[str, str]) -> str:
    """RFC 7638 key thumbprint, so the kid changes whenever the key does."""
    canonical = json.dumps({k: public_jwk[k] for k in ("e", "kty", "n")}, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

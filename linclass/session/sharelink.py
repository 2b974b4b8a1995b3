"""The whole state in a link (``?state=``): the saved file's JSON, compressed, in URL-safe text.

``encode(json_text)`` packs a saved state (``Explorer.to_json``: points, class names, W, b, step and
every setting) as zlib + base64url without padding; ``decode(value)`` unpacks a link's value back to
that JSON, which the caller then reads through the saved file's own schema and validation
(``statefile.parse_state``, via ``Explorer.from_json``). Nothing here trusts the value:

  * it is at most MAX_LINK characters (HAProxy's default 16 KiB buffer holds such a request with room
    for its headers; a 300-point state takes about 8,800), of the base64url alphabet only;
  * it unpacks to at most MAX_JSON bytes (a small value cannot unpack to a bomb), ends where the
    compressed stream ends (a truncated link is refused) and passes zlib's checksum (a changed
    character is refused).

Every refusal is a ``ShareLinkError`` (a ValueError) that says what is wrong.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib

__all__ = ["MAX_JSON", "MAX_LINK", "ShareLinkError", "decode", "encode"]

MAX_LINK = 12_000  # characters of the value; about 400 points of random coordinates
MAX_JSON = 2**20  # bytes the value may unpack to
_ALPHABET = re.compile(r"[A-Za-z0-9_-]*")


class ShareLinkError(ValueError):
    """A shared link's state that cannot be read (too long, damaged, truncated), or one too large to share."""


def encode(json_text: str) -> str:
    """The link value of a saved state's JSON text; ShareLinkError if it would pass MAX_LINK characters."""
    packed = zlib.compress(json_text.encode("utf-8"), 9)
    value = base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")
    if len(value) > MAX_LINK:
        raise ShareLinkError(
            f"this state is too large for a link ({len(value):,} characters, at most {MAX_LINK:,}): save it as a "
            "file instead"
        )
    return value


def decode(value) -> bytes:
    """The saved-state JSON (bytes) a link value holds; ShareLinkError naming what is wrong."""
    if not isinstance(value, str):
        raise ShareLinkError(f"a shared state is text, not {type(value).__name__}")
    if len(value) > MAX_LINK:
        raise ShareLinkError(f"the shared state is longer than {MAX_LINK:,} characters")
    if not value or not _ALPHABET.fullmatch(value) or len(value) % 4 == 1:
        raise ShareLinkError("the shared state is not a link's state (damaged or cut short)")
    try:
        packed = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raise ShareLinkError("the shared state is not a link's state (damaged or cut short)") from None
    return _unpacked(packed)


def _unpacked(packed: bytes) -> bytes:
    unpack = zlib.decompressobj()
    try:
        text = unpack.decompress(packed, MAX_JSON)
    except zlib.error:
        raise ShareLinkError("the shared state is damaged (its checksum or compression does not hold)") from None
    if unpack.unconsumed_tail:
        raise ShareLinkError(f"the shared state unpacks to more than {MAX_JSON:,} bytes")
    if not unpack.eof:
        raise ShareLinkError("the shared state is cut short (the link was truncated)")
    if unpack.unused_data:
        raise ShareLinkError("the shared state has extra characters after its end")
    return text

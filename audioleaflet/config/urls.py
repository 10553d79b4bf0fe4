"""Web and e-mail addresses as a feed can carry them, mended where they can be, else refused."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote, urlsplit, urlunsplit

URL_EXAMPLE = "https://example.org/audio/"
EMAIL_EXAMPLE = "leaflets@example.org"
# Characters a URL path may hold as they are (RFC 3986 pchar and "/"), less the quote, which
# feeds and the HTML pages that embed them trip over; everything else is percent-encoded.
_PATH_SAFE = "/%!$&()*+,;=:@-._~"
_HOST = re.compile(r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.?)+$|^\[[0-9A-Fa-f:.]+\]$")
# The HTML standard's "valid e-mail address": what a mail client accepts in practice.
_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)


def normal_url(url: str) -> str:
    """`url` as an absolute http(s) address a feed can carry: a space, quote or letter outside
    ASCII in the path is percent-encoded and a non-ASCII host name IDNA-encoded; a URL that
    cannot be mended raises `ValueError` saying what is wrong with it."""
    text = url.strip()
    if any(unicodedata.category(ch) == "Cc" for ch in text):
        raise ValueError(f"has a control character in it; write it on one line, like {URL_EXAMPLE}")
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise ValueError(f"must be an absolute address starting https://, like {URL_EXAMPLE}")
    if "@" in parts.netloc:
        raise ValueError("must not hold a user name or password: the feed is public")
    host = parts.hostname or ""
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        host = ""
    try:
        port = parts.port
    except ValueError:
        raise ValueError("has a port that is not a number from 0 to 65535") from None
    if not host or not _HOST.match(host if ":" not in host else f"[{host}]"):
        raise ValueError(
            f"has no usable host name (spaces, quotes and other signs cannot be in one); "
            f"write it like {URL_EXAMPLE}"
        )
    if parts.query or parts.fragment or text.endswith(("?", "#")):
        raise ValueError(
            f"must not have a ?query or #fragment: file names are added to it; like {URL_EXAMPLE}"
        )
    netloc = f"[{host}]" if ":" in host else host.lower()
    if port is not None:
        netloc += f":{port}"
    # A lone "%" is a percent sign, not the start of an escape.
    path = re.sub(r"%(?![0-9A-Fa-f]{2})", "%25", parts.path)
    return urlunsplit((scheme, netloc, quote(path, safe=_PATH_SAFE), "", ""))


def check_email(address: str) -> str:
    """`address` without surrounding spaces, if it is an e-mail address; else `ValueError`."""
    text = address.strip()
    if not _EMAIL.match(text):
        raise ValueError(f"is not an e-mail address; write it like {EMAIL_EXAMPLE}")
    return text

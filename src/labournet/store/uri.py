"""Database URIs, read once: where the server is, and the credentials kept apart from it.

`parse_uri` is the only place labournet takes a URI apart. Its `Endpoint` shows itself as
``scheme://host:port/graph`` (`Endpoint.display`) and never with a user name or password, so a
message built from it cannot leak them, whatever the URI held.

Passwords are often pasted unescaped, so the user information ends at the *last* ``@`` of the
URI (the part after it names a host, a port and a graph, none of which holds an ``@``):
``bolt://neo4j:p@ss@host`` is user ``neo4j``, password ``p@ss``, and ``bolt://neo4j:pa/ss@host``
is password ``pa/ss``. Percent escapes (``%40`` for ``@``) are decoded as usual.

Example:
    >>> endpoint = parse_uri("bolt://neo4j:p@ss@localhost:7687/movies")
    >>> endpoint.host, endpoint.port, endpoint.path, endpoint.password
    ('localhost', 7687, 'movies', 'p@ss')
    >>> endpoint.display
    'bolt://localhost:7687/movies'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from labournet.errors import QueryError

__all__ = ["Endpoint", "parse_uri"]

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://(.*)$", re.DOTALL)
_HOSTNAME = re.compile(r"^[A-Za-z0-9._-]*$")


@dataclass(frozen=True)
class Endpoint:
    """A parsed database URI. `username` and `password` stay out of its repr."""

    scheme: str
    host: str | None
    port: int | None
    path: str
    username: str | None = field(default=None, repr=False)
    password: str | None = field(default=None, repr=False)

    @property
    def display(self) -> str:
        """``scheme://host[:port][/path]``, never with credentials."""
        return _display(self.scheme, self.host, self.port, self.path)


def parse_uri(text: str) -> Endpoint:
    """Take a database URI apart; `QueryError` if it is malformed.

    The error never repeats the credentials, nor a port that is not a number (in
    ``bolt://neo4j:secret`` the "port" is the password).

    >>> parse_uri("falkordb://localhost").port is None
    True
    >>> parse_uri("bolt://neo4j:secret")
    Traceback (most recent call last):
    ...
    labournet.errors.QueryError: bad URI 'bolt://neo4j': the port is not a number from 1 to 65535
    """
    match = _SCHEME.match(text.strip())
    if match is None:  # not echoed: without its scheme, where the password ends is a guess
        raise QueryError(
            "bad URI: write it as scheme://host:port/graph, e.g. bolt://localhost:7687"
        )
    scheme, rest = match.group(1).lower(), match.group(2)
    userinfo, at, location = rest.rpartition("@")
    if not at:
        userinfo, location = "", rest
    for mark in ("#", "?"):
        location = location.partition(mark)[0]
    authority, _, path = location.partition("/")
    username = password = None
    if at:
        user, colon, secret = userinfo.partition(":")
        username = unquote(user) or None
        password = unquote(secret) if colon else None
    host, port_text = _split_host_port(authority, scheme)
    if host is not None and ":" not in host and not _HOSTNAME.match(host):
        raise QueryError(f"bad URI {_display(scheme, None, None, '')!r}: the host is not a name")
    port = None
    if port_text is not None:
        if not (port_text.isascii() and port_text.isdigit()) or not 0 < int(port_text) < 65536:
            shown = _display(scheme, host, None, "")
            raise QueryError(f"bad URI {shown!r}: the port is not a number from 1 to 65535")
        port = int(port_text)
    return Endpoint(scheme, host, port, unquote(path.strip("/")), username, password)


def _split_host_port(authority: str, scheme: str) -> tuple[str | None, str | None]:
    """``host:port`` or ``[v6]:port`` -> host (without brackets) and the port's text."""
    if authority.startswith("["):
        end = authority.find("]")
        if end < 0 or "[" in authority[1:] or not re.match(r"^[0-9A-Fa-f:.]+$", authority[1:end]):
            raise QueryError(
                f"bad URI '{scheme}://...': an IPv6 address is written in brackets, "
                "e.g. bolt://[::1]:7687"
            )
        after = authority[end + 1 :]
        if after and not after.startswith(":"):
            raise QueryError(f"bad URI '{scheme}://...': text after the IPv6 address's bracket")
        return authority[1:end] or None, after[1:] if after else None
    if "]" in authority:
        raise QueryError(f"bad URI '{scheme}://...': a bracket without its opening '['")
    host, colon, port = authority.partition(":")
    return host or None, port if colon else None


def _display(scheme: str, host: str | None, port: int | None, path: str) -> str:
    name = host or ""
    if ":" in name:
        name = f"[{name}]"
    where = f"{name}:{port}" if port is not None else name
    return f"{scheme}://{where}" + (f"/{path}" if path else "")

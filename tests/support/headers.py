"""Reading response headers as a browser would."""

from __future__ import annotations


def csp_directives(policy: str) -> dict[str, str]:
    """A Content-Security-Policy header as ``{directive: its sources}``: ``"script-src 'self'; ..."`` ->
    ``{"script-src": "'self'", ...}``."""
    directives = {}
    for part in policy.split(";"):
        name, _, sources = part.strip().partition(" ")
        if name:
            directives[name] = sources.strip()
    return directives


def framed_by(response) -> str:
    """Who may frame this response: its policy's frame-ancestors."""
    return csp_directives(response["Content-Security-Policy"])["frame-ancestors"]

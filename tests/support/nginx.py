"""deploy/nginx.conf run for real in tests: the configuration with every path in a test's folder, a self-signed
certificate, and the Daphne processes of the test as its upstream."""

from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
from pathlib import Path

from tests.conftest import service_missing
from tests.support.paths import REPO

NGINX_CONF = REPO / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
OPENSSL = shutil.which("openssl")


def need_nginx() -> str:
    if NGINX is None:
        service_missing("nginx is not installed (Debian: apt-get install nginx-light)")
    if OPENSSL is None:
        service_missing("openssl is not installed (Debian: apt-get install openssl)")
    assert NGINX is not None
    return NGINX


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    certificate, key = directory / "fullchain.pem", directory / "privkey.pem"
    subprocess.run(
        [
            *(OPENSSL or "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"),
            *("-subj", "/CN=results.example.org", "-keyout", str(key), "-out", str(certificate)),
        ],
        check=True,
        capture_output=True,
    )
    return certificate, key


def replaced(text: str, old: str, new: str) -> str:
    assert old in text, f"{old!r} is no longer in the file: update tests/support/nginx.py with it"
    return text.replace(old, new)


def nginx_conf_for_test(
    directory: Path,
    *,
    http_port: int = 80,
    https_port: int = 443,
    backends: list[int] | list[str] | None = None,
    address: str = "127.0.0.1",
) -> Path:
    """deploy/nginx.conf with every path in ``directory`` (certificates, logs, pid, temporary files, the static
    root), listening on ``address`` only, and the given Daphne processes as the upstream: ports on 127.0.0.1, or
    ``host:port`` addresses."""
    backends = [backend if isinstance(backend, str) else f"127.0.0.1:{backend}" for backend in backends or []] or None
    certificate, key = self_signed_certificate(directory)
    conf = NGINX_CONF.read_text(encoding="utf-8")
    live = "/etc/letsencrypt/live/results.example.org/"
    conf = replaced(conf, f"{live}fullchain.pem", str(certificate))
    conf = replaced(conf, f"{live}privkey.pem", str(key))
    conf = replaced(conf, "/run/nginx.pid", str(directory / "nginx.pid"))
    conf = replaced(conf, "/var/log/nginx/", f"{directory}/")
    conf = replaced(conf, "error.log warn;", "error.log info;")  # printed when a test fails
    conf = replaced(conf, "root /srv/skating;", f"root {directory / 'site'};")
    conf = replaced(conf, "/var/cache/nginx/skating", str(directory / "cache"))
    # Workers as this user: pytest's temporary folders are private.
    conf = replaced(conf, "user www-data;", f"user {pwd.getpwuid(os.getuid()).pw_name};" if os.getuid() == 0 else "")
    temporary = "".join(
        f"    {kind}_temp_path {directory / kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = replaced(conf, "http {\n", "http {\n" + temporary)
    conf = replaced(conf, "listen 80 backlog=4096;", f"listen {address}:{http_port} backlog=4096;")
    conf = replaced(
        conf, "listen 443 ssl http2 backlog=4096;", f"listen {address}:{https_port} ssl http2 backlog=4096;"
    )
    conf = re.sub(r"\n *listen \[::\]:.*;", "", conf)
    if backends is not None:
        servers = re.findall(r"\n *server 127\.0\.0\.1:800\d ([^;]*);", conf)
        assert len(servers) >= 2, "deploy/nginx.conf lists fewer than two Daphne processes"
        lines = re.findall(r"\n *server 127\.0\.0\.1:800\d [^;]*;", conf)
        # Each backend with the parameters deploy/nginx.conf gives its own (max_fails, fail_timeout).
        listed = "".join(f"\n        server {backend} {servers[0]};" for backend in backends)
        conf = conf.replace(lines[0], listed)
        for line in lines[1:]:
            conf = conf.replace(line, "")
    path = directory / "nginx.conf"
    path.write_text(conf, encoding="utf-8")
    return path

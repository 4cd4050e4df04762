"""Hosts on one machine: each a network namespace with one veth link to a bridge in the root namespace, on a private
/24, so that a test can start a host's processes, kill every one of them, and reach each host by its address.

Names carry the id of the process that made them (``skc<pid>...``): a run that crashed before cleaning up leaves
names no other run uses, and the next run removes them once that process is gone (``remove_leftovers``). Needs
root (``ip netns add``).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

PREFIX = "skc"
SUBNET = "10.213.0"  # 10.213.0.0/24: private, and no other test uses it
BRIDGE_ADDRESS = f"{SUBNET}.1"


def ip(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["ip", *args], capture_output=True, text=True, check=check, timeout=30)


def why_not_available() -> str | None:
    """None if this process can build hosts, else why not."""
    if os.geteuid() != 0:
        return "network namespaces need root (the cluster test runs as root in CI)"
    try:
        ip("netns", "list")
    except (OSError, subprocess.CalledProcessError) as error:
        return f"`ip netns` does not work here (Debian: apt-get install iproute2): {error}"
    return None


@dataclass
class Host:
    """One namespace, reached at ``address`` from the others and from the root namespace."""

    name: str
    namespace: str
    address: str
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def command(self, argv: Sequence[str]) -> list[str]:
        return ["ip", "netns", "exec", self.namespace, *argv]

    def start(self, argv: Sequence[str], *, log: IO[bytes], env: dict[str, str], cwd: Path) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            self.command(argv), cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
        )
        self.processes.append(process)
        return process

    def run(self, argv: Sequence[str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(self.command(argv), capture_output=True, text=True, timeout=60)

    def pids(self) -> list[int]:
        return [int(pid) for pid in ip("netns", "pids", self.namespace, check=False).stdout.split()]

    def kill_everything(self) -> int:
        """SIGKILL every process in the namespace, as a host that loses power; returns how many there were."""
        pids = self.pids()
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        for process in self.processes:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=10)
        return len(pids)


class Lan:
    """A bridge and the hosts plugged into it. Use as a context manager: everything goes on leaving."""

    def __init__(self) -> None:
        self.id = f"{PREFIX}{os.getpid()}"
        self.bridge = f"{self.id}br"
        self.hosts: list[Host] = []

    def __enter__(self) -> Lan:
        remove_leftovers()
        ip("link", "add", self.bridge, "type", "bridge")
        ip("addr", "add", f"{BRIDGE_ADDRESS}/24", "dev", self.bridge)
        ip("link", "set", self.bridge, "up")
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()

    def host(self, name: str, number: int) -> Host:
        """A host at 10.213.0.<number>, with loopback up."""
        host = Host(name=name, namespace=f"{self.id}-{name}", address=f"{SUBNET}.{number}")
        outside, inside = f"{self.id}{name[:4]}", f"{self.id}{name[:4]}i"
        ip("netns", "add", host.namespace)
        self.hosts.append(host)
        ip("link", "add", outside, "type", "veth", "peer", "name", inside)
        ip("link", "set", inside, "netns", host.namespace)
        ip("link", "set", outside, "master", self.bridge, "up")
        ip("-n", host.namespace, "addr", "add", f"{host.address}/24", "dev", inside)
        ip("-n", host.namespace, "link", "set", inside, "up")
        ip("-n", host.namespace, "link", "set", "lo", "up")
        return host

    def remove(self) -> None:
        for host in self.hosts:
            host.kill_everything()
        remove_namespaces_and_links(self.id)


def remove_namespaces_and_links(id_: str) -> None:
    for namespace in ip("netns", "list", check=False).stdout.split("\n"):
        name = namespace.split(" ")[0]
        if name.startswith(f"{id_}-"):
            for pid in ip("netns", "pids", name, check=False).stdout.split():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(int(pid), signal.SIGKILL)
            time.sleep(0.1)
            ip("netns", "delete", name, check=False)
    for link in re.findall(rf"^\d+: ({re.escape(id_)}\w*)[@:]", ip("-o", "link", "show", check=False).stdout, re.M):
        ip("link", "delete", link, check=False)


def remove_leftovers() -> None:
    """What runs that crashed left behind: names of this kind whose process is gone."""
    names = ip("netns", "list", check=False).stdout + ip("-o", "link", "show", check=False).stdout
    for pid in set(re.findall(rf"\b{PREFIX}(\d+)", names)):
        if not Path(f"/proc/{pid}").exists():
            remove_namespaces_and_links(f"{PREFIX}{pid}")

"""Where the service may send a request on a user's behalf: public addresses on web ports.

A webhook URL is registered by any API key holder and then POSTed to by the server, so it
must not reach the server's own network: loopback, private, link-local (cloud metadata at
169.254.169.254), CGNAT, multicast, reserved, and IPv6 forms that embed such an IPv4
address (IPv4-mapped and -compatible, 6to4, Teredo, NAT64). The host is resolved and
*every* address checked, because a name can hide any of them (``localhost``,
``2130706433``, a DNS record). The check runs at registration and again at each delivery,
and the delivery connects to the address that was checked (:class:`Target`), so a DNS
answer that changes between the check and the connection (rebinding) is never used.

Tests and private deployments may allow networks and ports by setting, never by default:
``TIEUCHUAN_WEBHOOK_ALLOW_NETWORKS`` (comma-separated CIDRs, e.g. ``127.0.0.0/8,::1/128``)
and ``TIEUCHUAN_WEBHOOK_ALLOW_PORTS`` (comma-separated ports added to 80 and 443).
"""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

WEB_PORTS = frozenset({80, 443})
_SHARED = ipaddress.IPv4Network("100.64.0.0/10")  # carrier-grade NAT (RFC 6598)
_UNIQUE_LOCAL = ipaddress.IPv6Network("fc00::/7")
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")  # RFC 8215 local use


class UrlRefused(ValueError):
    """The URL itself is not allowed (scheme, credentials, port, no host)."""


class HostUnresolved(UrlRefused):
    """The host name has no address."""


class AddressBlocked(UrlRefused):
    """The host is, or resolves to, an address the service must not send to."""


def system_resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to, through the system resolver (getaddrinfo)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as exc:
        raise HostUnresolved(f"url: the host {host!r} does not resolve ({exc})") from exc
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


@dataclass(frozen=True)
class Target:
    """A checked URL and the address to connect to; the request goes to ``address`` while
    the Host header and TLS name (SNI, certificate check) stay those of the URL."""

    url: httpx.URL
    address: str

    @property
    def request_url(self) -> httpx.URL:
        return self.url.copy_with(host=self.address)

    @property
    def host_header(self) -> str:
        return self.url.netloc.decode("ascii")

    @property
    def extensions(self) -> dict[str, str]:
        if self.url.scheme == "https":
            return {"sni_hostname": self.url.raw_host.decode("ascii")}
        return {}


@dataclass(frozen=True)
class AddressPolicy:
    """Which URLs a webhook may have; the default allows public addresses on 80 and 443."""

    allowed_networks: tuple[IPNetwork, ...] = ()
    allowed_ports: frozenset[int] = WEB_PORTS
    resolve: Callable[[str, int], Sequence[str]] = field(default=system_resolve, compare=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> AddressPolicy:
        """TIEUCHUAN_WEBHOOK_ALLOW_NETWORKS and TIEUCHUAN_WEBHOOK_ALLOW_PORTS (see the module)."""
        env = os.environ if env is None else env
        networks = _items(env, "TIEUCHUAN_WEBHOOK_ALLOW_NETWORKS")
        ports = _items(env, "TIEUCHUAN_WEBHOOK_ALLOW_PORTS")
        try:
            allowed = tuple(ipaddress.ip_network(n, strict=False) for n in networks)
        except ValueError as exc:
            raise ValueError(f"TIEUCHUAN_WEBHOOK_ALLOW_NETWORKS: {exc}") from exc
        if not all(p.isdecimal() and 0 < int(p) < 65536 for p in ports):
            raise ValueError(f"TIEUCHUAN_WEBHOOK_ALLOW_PORTS: expected port numbers, got {ports}")
        return cls(allowed, WEB_PORTS | {int(p) for p in ports})

    def check_url(self, url: str) -> httpx.URL:
        """The parsed URL, if its form is allowed; nothing is resolved yet."""
        try:
            parsed = httpx.URL(url.strip())
        except (httpx.InvalidURL, TypeError) as exc:
            raise UrlRefused(f"url: not a valid URL ({exc})") from exc
        if parsed.scheme not in ("http", "https") or not parsed.raw_host:
            raise UrlRefused(f"url: expected an http(s) URL with a host, got {url!r}")
        if parsed.userinfo:
            raise UrlRefused("url: user name or password in the URL is not allowed")
        port = _port(parsed)
        if port not in self.allowed_ports:
            allowed = ", ".join(str(p) for p in sorted(self.allowed_ports))
            raise UrlRefused(f"url: port {port} is not allowed (allowed: {allowed})")
        return parsed

    def target(self, url: str) -> Target:
        """Check the URL, resolve its host and check every address; connect to the first."""
        parsed = self.check_url(url)
        host = parsed.raw_host.decode("ascii")
        addresses = self.resolve(host, _port(parsed))
        if not addresses:
            raise HostUnresolved(f"url: the host {host!r} does not resolve")
        for address in addresses:
            why = self.refusal(ipaddress.ip_address(address))
            if why:
                shown = host if host == address else f"{host} resolves to {address}, which"
                raise AddressBlocked(f"url: {shown} is {why}; webhooks go to public addresses")
        return Target(parsed, addresses[0])

    def refusal(self, ip: IPAddress) -> str | None:
        """Why the service must not connect to ``ip``, or None when it may."""
        if any(ip.version == net.version and ip in net for net in self.allowed_networks):
            return None
        if isinstance(ip, ipaddress.IPv6Address):
            for form, embedded in _embedded_ipv4(ip):
                why = self.refusal(embedded)
                if why:
                    return f"{why} ({embedded}, embedded as {form})"
                if form in ("IPv4-mapped", "IPv4-compatible"):
                    return None  # the connection goes to the embedded, public, address
        return _special(ip)


def _special(ip: IPAddress) -> str | None:
    if ip.is_unspecified:
        return "the unspecified address"
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_multicast:
        return "a multicast address"
    if ip in _SHARED:
        return "a shared (carrier-grade NAT) address"
    if ip in _UNIQUE_LOCAL:
        return "a unique-local address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local:
        return "a site-local address"
    if ip in _NAT64_LOCAL:
        return "a local-use NAT64 address"
    if ip.is_reserved:
        return "a reserved address"
    if ip.is_private:
        return "a private address"
    if not ip.is_global:
        return "not a public address"
    return None


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> list[tuple[str, ipaddress.IPv4Address]]:
    """The IPv4 addresses an IPv6 address carries, with the name of the form."""
    found: list[tuple[str, ipaddress.IPv4Address]] = []
    if ip.ipv4_mapped is not None:
        found.append(("IPv4-mapped", ip.ipv4_mapped))
    elif ip in _IPV4_COMPATIBLE and int(ip) > 1:
        found.append(("IPv4-compatible", ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)))
    if ip.sixtofour is not None:
        found.append(("6to4", ip.sixtofour))
    if ip.teredo is not None:
        server, client = ip.teredo
        found += [("Teredo", client), ("Teredo", server)]
    if ip in _NAT64:
        found.append(("NAT64", ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)))
    return found


def _port(url: httpx.URL) -> int:
    return url.port or (443 if url.scheme == "https" else 80)


def _items(env: Mapping[str, str], name: str) -> list[str]:
    return [item.strip() for item in (env.get(name) or "").split(",") if item.strip()]

"""vCard 4.0 (RFC 6350) for an authority, so practitioners can keep it in their address book."""

from __future__ import annotations

from .models import Authority


def _escape(value: str) -> str:
    return (value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _fold(line: str) -> str:
    """Lines longer than 75 octets are folded (RFC 6350 3.2)."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        piece = char.encode("utf-8")
        if len(current) + len(piece) > 74:
            parts.append(current.decode("utf-8"))
            current = b""
        current += piece
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def authority_vcard(authority: Authority, url: str) -> str:
    lines = [
        "BEGIN:VCARD", "VERSION:4.0", "KIND:org",
        f"FN:{_escape(authority.name)}",
        f"ORG:{_escape(authority.name)}",
    ]
    address = authority.postal_address or authority.street_address
    if address:
        lines.append(
            f"ADR;TYPE=work:;;{_escape(address)};{_escape(authority.city)};;"
            f"{_escape(authority.postal_code)};{_escape(authority.state.name)}"
        )
    if authority.phone:
        lines.append(f"TEL;TYPE=work,voice;VALUE=uri:tel:{authority.phone}")
    if authority.fax:
        lines.append(f"TEL;TYPE=work,fax;VALUE=uri:tel:{authority.fax}")
    if authority.email:
        lines.append(f"EMAIL;TYPE=work:{authority.email}")
    if authority.website:
        lines.append(f"URL:{authority.website}")
    lines += [f"TZ:{authority.time_zone}", f"SOURCE:{url}",
              f"REV:{authority.updated_at:%Y%m%dT%H%M%SZ}", "END:VCARD"]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"

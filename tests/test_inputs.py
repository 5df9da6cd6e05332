"""Names, IP lists, hosts and dates: examples and properties."""

from __future__ import annotations

import ipaddress
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.inputs import NameError_, clean_name, parse_date, parse_host, parse_ip_list


def test_ip_list_examples() -> None:
    parsed = parse_ip_list("8.8.8.8, 1.1.1.1\n8.8.8.8;2001:4860:4860::8888 bogus 10.1.1.1 1.2.3.0/24",
                           ipv6=True, cidr=True, max_entries=None)
    assert parsed.ips == ["8.8.8.8", "1.1.1.1", "2001:4860:4860::8888", "1.2.3.0/24"]
    assert parsed.duplicates == 1
    assert parsed.bad == [("bogus", "invalid"), ("10.1.1.1", "not-public")]


def test_ip_rules() -> None:
    assert parse_ip_list("2001:4860:4860::8888", ipv6=False, cidr=True, max_entries=None).bad == [
        ("2001:4860:4860::8888", "no-ipv6")]
    assert parse_ip_list("1.2.3.0/24", ipv6=True, cidr=False, max_entries=None).bad == [("1.2.3.0/24", "no-cidr")]
    assert parse_ip_list("1.2.3.4/24", ipv6=True, cidr=True, max_entries=None).bad == [("1.2.3.4/24", "invalid")]
    assert parse_ip_list("1.2.3.4/32", ipv6=True, cidr=True, max_entries=None).ips == ["1.2.3.4"]
    assert parse_ip_list("8.8.8.8 9.9.9.9", ipv6=True, cidr=False, max_entries=1).over_limit


public_v4 = st.ip_addresses(v=4).filter(lambda a: a.is_global)
public_v6 = st.ip_addresses(v=6).filter(lambda a: a.is_global)


@given(st.lists(st.one_of(public_v4, public_v6), max_size=40), st.sampled_from([",", " ", "\n", ", ", ";"]))
def test_valid_addresses_all_survive_once(addresses: list[ipaddress.IPv4Address], sep: str) -> None:
    parsed = parse_ip_list(sep.join(str(a) for a in addresses), ipv6=True, cidr=False, max_entries=None)
    assert parsed.bad == []
    assert parsed.ips == list(dict.fromkeys(str(a) for a in addresses))
    assert parsed.duplicates == len(addresses) - len(parsed.ips)


@given(st.text(max_size=300))
def test_ip_parser_never_crashes_and_accounts_for_every_entry(text: str) -> None:
    parsed = parse_ip_list(text, ipv6=True, cidr=True, max_entries=20)
    entries = [e for e in __import__("re").split(r"[,;\s]+", text) if e]
    assert len(parsed.ips) + len(parsed.bad) + parsed.duplicates == len(entries)
    for ip in parsed.ips:
        assert ipaddress.ip_network(ip).network_address.is_global


@given(st.text(max_size=200))
def test_names_are_clean_or_refused(text: str) -> None:
    try:
        name = clean_name(text)
    except NameError_ as exc:
        assert exc.reason in {"empty", "too-long", "control"}
        return
    assert 1 <= len(name) <= 64
    assert name == name.strip()
    assert not any(ord(ch) < 32 or ord(ch) == 127 for ch in name)


@pytest.mark.parametrize(("text", "reason"), [("", "empty"), (" \t ", "empty"), ("x" * 65, "too-long"),
                                              ("a\x00", "control"), ("a\u202eb", "control"), ("a\nb", "control")])
def test_name_refusals(text: str, reason: str) -> None:
    with pytest.raises(NameError_) as info:
        clean_name(text)
    assert info.value.reason == reason


def test_name_keeps_emoji_sequences() -> None:
    assert clean_name("  👩‍💻 bot  ") == "👩‍💻 bot"
    assert clean_name("x" * 64) == "x" * 64


@pytest.mark.parametrize(("text", "host"), [
    ("exchange.mybroker.com", "exchange.mybroker.com"), ("HTTPS://Ex.Broker.io/path", "ex.broker.io"),
    ("ex.broker.io:8443", None), ("ex.broker.io:443", "ex.broker.io"), ("ex.broker.io:99999", None),
    ("8.8.8.8", "8.8.8.8"),
    ("localhost", None), ("10.0.0.1", None), ("a..b", None), ("-a.com", None), ("a.123", None), ("", None),
    ("ex.broker.io:port", None),
])
def test_hosts(text: str, host: str | None) -> None:
    assert parse_host(text) == host


@given(st.text(max_size=100))
def test_host_parser_never_crashes(text: str) -> None:
    parse_host(text)


def test_dates() -> None:
    today = date(2026, 1, 15)
    assert parse_date("2026-03-01", today) == date(2026, 3, 1)
    assert parse_date("01.03.2026", today) == date(2026, 3, 1)
    assert parse_date("2026-01-15", today) is None
    assert parse_date("2040-01-01", today) is None
    assert parse_date("31.02.2026", today) is None
    assert parse_date("tomorrow", today) is None
    assert parse_date("2028-02-29", date(2028, 2, 28)) == date(2028, 2, 29)

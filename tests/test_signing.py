"""Known-answer tests for every signing scheme with a published example (venues.md), and Roxom's
RSA signature verified with the public key."""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from bot.venues.signing import (
    b2trader_signature,
    binance_signature,
    bybit_signature,
    okx_signature,
    roxom_payload,
    roxom_signature,
    xt_signature,
)
from tests.creds import roxom_pem


def test_xt_known_answer() -> None:
    signature = xt_signature("bc6630d0231fda5cd98794f52c4998659beda290",
                             appkey="3976eb88-76d0-4f6e-a6b2-a57980770085", timestamp=1641446237201,
                             recvwindow=5000, method="GET", path="/v4/balances")
    assert signature == "6f65f1289568e3ce07cfa8b1b9664e897e19fcaedc063aac74e4e4e510ab006b"


def test_b2trader_known_answer() -> None:
    signature = b2trader_signature("8596a4a9-b3a5-3d4c-9399-a2958de404ba",
                                   "?ts=2019-12-20T08:20:51&nonce=1576830051000")
    assert signature == ("A3490AF5D05C7B64D4413FE00E110C8A89A719D7B55992CE8A34D9ABDD809FDE2339911DF68DFA90B4CD861"
                         "082A4474A9DFCAEBC3EF5EDABD333076ADE2784C5")


def test_binance_known_answer() -> None:
    signature = binance_signature(
        "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j",
        "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559")
    assert signature == "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71"


def test_bybit_and_okx_follow_their_documented_strings() -> None:
    # No published example in venues.md: check the exact string each scheme signs.
    expected = hmac.new(b"S", b"1658384314791KEY5000category=spot", hashlib.sha256).hexdigest()
    assert bybit_signature("S", timestamp=1658384314791, api_key="KEY", recv_window=5000,
                           payload="category=spot") == expected
    mac = hmac.new(b"S", b"2020-12-08T09:08:57.715ZGET/api/v5/account/config", hashlib.sha256).digest()
    assert okx_signature("S", timestamp="2020-12-08T09:08:57.715Z", method="get",
                         request_path="/api/v5/account/config") == base64.b64encode(mac).decode()


def test_roxom_signature_verifies_with_the_public_key() -> None:
    payload = roxom_payload("post", "/v1/orders", {"symbol": "BTC-USD", "size": 1, "price": None, "side": "buy"})
    assert payload == "POST:/v1/orders:side=buy&size=1&symbol=BTC-USD"
    assert roxom_payload("GET", "/v1/accounts/balance?unit=btc") == "GET:/v1/accounts/balance?unit=btc"
    signature = base64.b64decode(roxom_signature(roxom_pem(), payload))
    public = serialization.load_pem_private_key(roxom_pem().encode(), password=None).public_key()
    public.verify(signature, payload.encode(), padding.PKCS1v15(), hashes.SHA256())  # type: ignore[union-attr,call-arg,arg-type]


def test_the_stand_ins_own_checks_accept_the_published_examples() -> None:
    """The stand-in venues' independent checks (bot/sandbox/signatures.py) agree with the venues'
    published examples, not merely with the bot's signers."""
    from bot.sandbox import signatures

    headers = {"validate-algorithms": "HmacSHA256", "validate-appkey": "3976eb88-76d0-4f6e-a6b2-a57980770085",
               "validate-recvwindow": "5000", "validate-timestamp": "1641446237201",
               "validate-signature": "6f65f1289568e3ce07cfa8b1b9664e897e19fcaedc063aac74e4e4e510ab006b"}
    assert signatures.xt("bc6630d0231fda5cd98794f52c4998659beda290", "GET", "/v4/balances", "", headers, b"")
    query = ("symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000"
             "&timestamp=1499827319559&signature=c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71")
    assert signatures.binance("NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j", query, b"")
    sign = ("A3490AF5D05C7B64D4413FE00E110C8A89A719D7B55992CE8A34D9ABDD809FDE2339911DF68DFA90B4CD861"
            "082A4474A9DFCAEBC3EF5EDABD333076ADE2784C5")
    assert signatures.b2trader("8596a4a9-b3a5-3d4c-9399-a2958de404ba",
                               "ts=2019-12-20T08:20:51&nonce=1576830051000", {"sign": sign}, b"")
    # A changed byte anywhere fails.
    assert not signatures.xt("bc6630d0231fda5cd98794f52c4998659beda291", "GET", "/v4/balances", "", headers, b"")


def test_kraken_known_answer() -> None:
    """The worked example of Kraken's "Spot REST Authentication" guide, through the client's signer and
    through the stand-in's own check."""
    from bot.sandbox.stand_ins.kraken import _expected
    from bot.venues.kraken import signature

    secret = "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg=="
    data = "nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25"
    expected = "4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ=="
    assert signature(secret, "/0/private/AddOrder", "1616492376594", data) == expected
    assert _expected(secret, "/0/private/AddOrder", data.encode()) == expected

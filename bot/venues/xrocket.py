"""xRocket Exchange and xRocket Pay: single full-access tokens, no scopes, IPs or expiry.

Sources (docs/venues.md): the API reference gives the REST host exchange.api.xrocket.exchange (older:
exchange.api.xrocket.tg, the only host in the seed guide); the reference wins, see Settings. The seed
names two testnet bots, @xrocket_testnet_bot and, in its renew section, @rcktPrivateBot: the steps name
both. Revoking is "Renew token" only.
"""

from __future__ import annotations

from bot.venues.base import CredentialField, Step, VenueAction, VenueProfile
from bot.venues.connector import BaseConnector, Credentials, Outcome, Verification, json_or_empty
from bot.venues.formats import LENIENT_TOKEN
from bot.venues.module import Venue

EXCHANGE = VenueProfile(
    id="xrocket",
    title="xRocket Exchange",
    environments=("mainnet", "testnet"),
    # A JWT per third-party clients (unconfirmed): accept any token-shaped string.
    fields=(CredentialField("token", LENIENT_TOKEN, public_id=True),),
    # "Select the option to Renew token": no delete or disable.
    actions=(VenueAction("renew", "Renew token", revokes=True),),
    max_keys=1,
    limit_per_environment=True,
    full_access_token=True,
    warnings=("venue-xrocket-warn-full-access", "venue-xrocket-warn-renew"),
    skip_reasons={
        Step.PERMISSIONS: "venue-xrocket-skip-perms",
        Step.IPS: "venue-xrocket-skip-ips",
    },
)

PAY = VenueProfile(
    id="xrocket_pay",
    title="xRocket Pay",
    environments=("mainnet", "testnet"),
    fields=(CredentialField("token", LENIENT_TOKEN, public_id=True),),
    actions=(VenueAction("reissue", "issue a new API token", revokes=True),),
    warnings=("venue-xrocket-pay-warn-not-exchange",),
    skip_reasons={Step.PERMISSIONS: "venue-xrocket-pay-skip-perms"},
)


class ExchangeConnector(BaseConnector):
    venue = "xrocket"

    async def verify(self, creds: Credentials) -> Verification:
        response = await self.http.request(self.venue, "GET", f"{self.base(creds)}/api/v1/accounts/trading/balances",
                                           headers={"Authorization": f"Bearer {creds['token']}"})
        status = response.status_code
        code = str(json_or_empty(response).get("kind") or status)
        outcome = {200: Outcome.OK, 401: Outcome.BAD_KEY, 403: Outcome.PERMISSION_DENIED,
                   429: Outcome.RATE_LIMITED}.get(status, Outcome.UNKNOWN)
        return Verification(outcome, code)


class PayConnector(BaseConnector):
    venue = "xrocket_pay"

    async def verify(self, creds: Credentials) -> Verification:
        response = await self.http.request(self.venue, "GET", f"{self.base(creds)}/app/info",
                                           headers={"Rocket-Pay-Key": creds["token"]})
        body = json_or_empty(response)
        if response.status_code == 200 and body.get("success") is True:
            return Verification(Outcome.OK, "200")
        outcome = {401: Outcome.BAD_KEY, 403: Outcome.BAD_KEY, 429: Outcome.RATE_LIMITED}.get(
            response.status_code, Outcome.UNKNOWN)
        return Verification(outcome, str(response.status_code))


def _exchange_sample() -> tuple[str, ...]:
    return ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwicm9sZSI6InRyYWRlciJ9."
            "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",)


EXCHANGE_VENUE = Venue(
    EXCHANGE,
    urls={"mainnet": "https://exchange.api.xrocket.exchange", "testnet": "https://exchange.api.testnet.xrocket.exchange"},
    sample=_exchange_sample,
    connector=lambda ctx: ExchangeConnector(ctx.http, ctx.urls),
)
PAY_VENUE = Venue(
    PAY,
    urls={"mainnet": "https://pay.xrocket.tg", "testnet": "https://dev-pay.xrocket.tg"},
    sample=lambda: ("a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1",),
    connector=lambda ctx: PayConnector(ctx.http, ctx.urls),
)

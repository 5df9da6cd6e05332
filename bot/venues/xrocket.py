"""xRocket Exchange and xRocket Pay: single full-access tokens, no scopes, IPs or expiry."""

from __future__ import annotations

from bot.venues.base import CredentialField, Step, VenueProfile
from bot.venues.formats import LENIENT_TOKEN

EXCHANGE = VenueProfile(
    id="xrocket",
    title="xRocket Exchange",
    environments=("mainnet", "testnet"),
    # A JWT per third-party clients (unconfirmed): accept any token-shaped string.
    fields=(CredentialField("token", LENIENT_TOKEN, public_id=True),),
    max_keys=1,
    limit_per_environment=True,
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
    warnings=("venue-xrocket-pay-warn-not-exchange",),
    skip_reasons={Step.PERMISSIONS: "venue-xrocket-pay-skip-perms"},
)

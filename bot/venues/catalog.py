"""The venues, in the order the bot offers them: the one list everything else derives from."""

from __future__ import annotations

from bot.venues import b2trader, binance, bybit, kraken, okx, roxom, walletbot, xrocket, xt
from bot.venues.module import Venue

VENUES: tuple[Venue, ...] = (
    xrocket.EXCHANGE_VENUE, xrocket.PAY_VENUE, xt.VENUE, walletbot.VENUE, roxom.VENUE, b2trader.VENUE,
    binance.VENUE, bybit.VENUE, okx.VENUE, kraken.VENUE,
)
BY_ID = {v.id: v for v in VENUES}

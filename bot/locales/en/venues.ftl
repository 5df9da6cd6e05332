## xRocket Exchange
venue-xrocket-warn-full-access = An xRocket Exchange token has full access (trading, transfers, withdrawals) and cannot be restricted, bound to IPs or set to expire. Keep it only where it is needed.
venue-xrocket-warn-renew = "Renew" in xRocket issues a new token and kills the old one at once: any bot using it stops.
venue-xrocket-skip-perms = xRocket tokens have full access and cannot be restricted.
venue-xrocket-skip-ips = xRocket tokens cannot be bound to IP addresses.
venue-xrocket-steps-mainnet =
    1. Open @xRocket in Telegram.
    2. Menu → Settings → Exchange settings → API token.
    3. Copy the token. (If you press "Renew", the old token stops working at once.)
venue-xrocket-steps-testnet =
    1. Open @xrocket_testnet_bot in Telegram (xRocket's renew instructions also name @rcktPrivateBot "for the Testnet").
    2. Menu → Settings → Exchange settings → API token.
    3. Copy the token. (If you press "Renew", the old token stops working at once.)
format-xrocket-token = expected a long token of letters, digits and . _ - characters.

## xRocket Pay
venue-xrocket-pay-warn-not-exchange = Rocket Pay app tokens are not Exchange tokens: the two are not interchangeable.
venue-xrocket-pay-skip-perms = Rocket Pay app tokens have no permission settings.
venue-xrocket-pay-steps-mainnet =
    1. Open @xRocket in Telegram.
    2. Rocket Pay → Create app (or open your app).
    3. Open "API token" and copy it.
venue-xrocket-pay-steps-testnet =
    1. Open @xrocket_testnet_bot in Telegram.
    2. Rocket Pay → Create app (or open your app).
    3. Open "API token" and copy it.
format-xrocket-pay-token = expected a long token of letters, digits and . _ - characters.

## XT.com
venue-xt-perm-query = read balances, orders and history (always on).
venue-xt-perm-trade = place and cancel spot orders.
venue-xt-perm-future = trade futures.
venue-xt-perm-lever-loan = borrow on margin.
venue-xt-perm-transfer = move funds between accounts.
venue-xt-perm-withdraw = withdraw funds out of XT.
venue-xt-warn-apply = XT grants API trading only after an application (KYC, 3–5 business days of review).
venue-xt-warn-once = XT shows the "Private Key" only once: paste it here straight away.
venue-xt-no-ip = Without an IP whitelist, XT accepts this key from any address.
venue-xt-skip-ro = XT has no read-only switch: a key with only QUERY is read-only.
venue-xt-ip-rules = "a single IP address or IP segment", comma separated (XT does not say whether IPv6 or CIDR ranges work)
venue-xt-steps =
    1. Log in at xt.com → User Center → API Management → Create API. (For a sub-account, follow XT's "How to Create an API for Sub-Accounts?": a sub-account has its own keys, checked here like any other.)
    2. "Alias Name": <b>{ $name }</b>.
    3. "Whitelist IP" (optional): <b>{ $ips }</b> — "a single IP address or IP segment", comma separated.
    4. Complete the security verification and copy the "Public Key" and the "Private Key": they "only be displayed ONCE".
    5. A new key can only query. For <b>{ $perms }</b>, press "Modify" on the key, tick those authorities and submit it for review.
format-xt-access-key = expected a UUID like <code>3976eb88-76d0-4f6e-a6b2-a57980770085</code>.
format-xt-secret = expected 40 hexadecimal characters.

## Wallet bot with API Access
venue-walletbot-perm-balance = see balances.
venue-walletbot-perm-deposit = "Deposit" (the wallet's guide names this permission without describing it).
venue-walletbot-perm-exchange = exchange currencies.
venue-walletbot-perm-transfers = transfers between accounts inside the bot.
venue-walletbot-perm-withdrawal = withdraw funds to outside addresses.
venue-walletbot-warn-2fa = The wallet bot asks you to turn on two-factor authentication before it issues API keys.
venue-walletbot-warn-frozen = After creation, a key there can only be activated, deactivated or deleted; its other settings cannot be changed.
venue-walletbot-warn-no-api = This wallet bot publishes no API to check keys against: I will keep track of the key but cannot verify it online.
venue-walletbot-no-ip = With "Allow all IPs", the key works from anywhere.
venue-walletbot-steps =
    1. Open the wallet bot → Additional Features → API Access (turn on 2FA first if asked). If you do not have the "API access" button, contact the wallet's technical support.
    2. Create New API Key. Name: <b>{ $name }</b>.
    3. Permissions: <b>{ $perms }</b>.
    4. Read-only: <b>{ $ro }</b>.
    5. IP addresses: <b>{ $ips }</b>.
    6. Activate now: <b>{ $act }</b>. Confirm. (A key activated later is activated in the "API keys" section.)
    7. The key arrives as a chat message there: copy it here, then delete that message in the wallet bot.
format-walletbot-api-key = expected a long token of letters, digits and . _ - characters.

## Roxom
venue-roxom-warn-beta = Roxom's API is in beta and is rolled out to accounts progressively: the API page may not be visible to you yet.
venue-roxom-warn-once = Roxom shows the private key only once.
venue-roxom-unused-hint = Roxom's API page shows each key's "last used" date: check it there, then tell me whether the key is still in use.
venue-roxom-skip-perms = Roxom documents no permission settings for API keys.
venue-roxom-skip-ips = Roxom documents no IP allow-list for API keys.
venue-roxom-steps =
    1. Log in at roxom.com → Profile → API.
    2. Press "+ Generate API Key". Name: <b>{ $name }</b>.
    3. Expiration: <b>{ $expiry }</b>. Press "Generate".
    4. Confirm your identity (passkey, or authenticator + email code).
    5. Copy the Key ID and save the private key — it is shown only once.
format-roxom-key-id = expected an ID like <code>rxk_key_…</code>.
format-roxom-private-key = expected an unencrypted RSA private key in PEM (<code>-----BEGIN PRIVATE KEY-----</code>).

## B2Trader
venue-b2trader-perm-info = read market data, balances and orders.
venue-b2trader-perm-trade = place and cancel orders.
venue-b2trader-warn-host = Each broker runs its own B2Trader exchange; keys of one broker do not work on another.
venue-b2trader-no-ip = Without an IP whitelist, the key works from any address.
venue-b2trader-skip-ro = B2Trader has no read-only switch: a key with only isInfo is read-only.
venue-b2trader-steps =
    1. Log in to your broker's exchange at <code>{ $host }</code>.
    2. Profile → API keys → Create key. Name: <b>{ $name }</b>.
    3. Permissions: <b>{ $perms }</b>.
    4. IP whitelist: <b>{ $ips }</b>.
    5. Copy the public key and the private key — the private key is shown only once. A broker allows at most 3 keys.
format-b2trader-public-key = expected a UUID.
format-b2trader-private-key = expected a UUID.

## Binance
venue-binance-perm-reading = read balances, orders and history (always on).
venue-binance-perm-spot = place spot and margin orders.
venue-binance-perm-margin = borrow, repay and transfer on margin.
venue-binance-perm-futures = trade futures.
venue-binance-perm-options = trade European (vanilla) options.
venue-binance-perm-portfolio = trade on a portfolio margin account.
venue-binance-perm-fix-api = place orders through the FIX API.
venue-binance-perm-sub-transfer = "transfer funds between your master account and your sub account instantly" (Binance's words).
venue-binance-perm-transfer = move funds between your Binance wallets.
venue-binance-perm-withdraw = withdraw funds out of Binance (needs an IP list).
venue-binance-warn-hmac = Binance offers HMAC, RSA and Ed25519 keys. For an HMAC key paste its Secret Key; for an RSA or Ed25519 key, paste the private key PEM you generated (only its public half goes to Binance).
venue-binance-no-ip = Binance lifts "Enable Spot & Margin Trading" from keys without an IP restriction after a period, and allows withdrawals only with an IP list. The key reports the date (tradingAuthorityExpirationTime): I take it at the first check and remind you before it.
venue-binance-expiry-on = spot & margin trading lifted on { $date }: no IP restriction
venue-binance-skip-ro = Binance has no separate read-only switch: a key with only "Enable Reading" is read-only.
venue-binance-steps-mainnet =
    1. Log in at binance.com → Profile → API Management.
    2. Create API → System generated. Label: <b>{ $name }</b>. Pass the security verification.
    3. Edit restrictions: <b>{ $perms }</b>.
    4. IP access: <b>{ $ips }</b> ("Restrict access to trusted IPs only" when you have a list).
    5. Save, then copy the API Key and the Secret Key — the secret is shown only once.
venue-binance-steps-testnet =
    1. Open testnet.binance.vision and log in with GitHub.
    2. Generate HMAC-SHA-256 Key. Description: <b>{ $name }</b>.
    3. Copy the API Key and the Secret Key — the secret is shown only once.
format-binance-api-key = expected 64 letters and digits.
format-binance-secret = expected 64 letters and digits.

## Bybit
venue-bybit-perm-read = read account data (always on).
venue-bybit-perm-contract = place orders and manage positions on derivatives.
venue-bybit-perm-spot = trade spot.
venue-bybit-perm-options = trade USDC contracts and options.
venue-bybit-perm-exchange = convert between coins.
venue-bybit-perm-transfer = transfer between accounts and sub-accounts.
venue-bybit-perm-withdraw = withdraw funds out of Bybit.
venue-bybit-warn-password = Bybit: an "api key without IP bound will be invalid after 7 days once the account password is changed".
venue-bybit-no-ip = Bybit: "No ip bound api key will be invalid after 90 days".
venue-bybit-expiry-on = auto-disabled on { $date }: no IP bound
venue-bybit-steps-mainnet =
    1. Log in at bybit.com → Account → API → Create New Key → System-generated API Keys.
    2. API Transaction. Name: <b>{ $name }</b>.
    3. API Key Permissions: read-only <b>{ $ro }</b>.
    4. IP: <b>{ $ips }</b> (bind IPs to keep the key from expiring).
    5. Permissions: <b>{ $perms }</b>.
    6. Submit, pass 2FA, then copy the API Key and the Secret — the secret is shown only once.
venue-bybit-steps-testnet =
    1. Log in at testnet.bybit.com → Account → API → Create New Key → System-generated API Keys.
    2. API Transaction. Name: <b>{ $name }</b>.
    3. API Key Permissions: read-only <b>{ $ro }</b>.
    4. IP: <b>{ $ips }</b>.
    5. Permissions: <b>{ $perms }</b>.
    6. Submit, then copy the API Key and the Secret — the secret is shown only once.
venue-bybit-steps-demo =
    1. Log in at bybit.com and switch to Demo Trading (account menu).
    2. Account → API → Create New Key → System-generated API Keys. Name: <b>{ $name }</b>.
    3. Read-only: <b>{ $ro }</b>. IP: <b>{ $ips }</b>. Permissions: <b>{ $perms }</b>.
    4. Submit, then copy the API Key and the Secret — demo keys work only in demo trading.
venue-bybit-steps-regional =
    1. Log in at your regional Bybit site (<b>{ $env }</b>) → Account → API → Create New Key → System-generated API Keys.
    2. API Transaction. Name: <b>{ $name }</b>.
    3. API Key Permissions: read-only <b>{ $ro }</b>.
    4. IP: <b>{ $ips }</b> (bind IPs to keep the key from expiring).
    5. Permissions: <b>{ $perms }</b>.
    6. Submit, pass 2FA, then copy the API Key and the Secret — keys of a regional site work only there.
format-bybit-api-key = expected letters and digits (usually 18).
format-bybit-secret = expected letters and digits (usually 36).

## OKX
venue-okx-perm-read = read account data (always on).
venue-okx-perm-trade = place and cancel orders.
venue-okx-perm-withdraw = withdraw funds out of OKX.
venue-okx-warn-passphrase = OKX asks you to choose a passphrase for the key and never shows it again: you will paste it here too.
venue-okx-no-ip = OKX reportedly deletes trade and withdraw keys without an IP list after 14 days without use.
venue-okx-skip-ro = OKX has no separate read-only switch: a key with only "Read" is read-only.
venue-okx-steps-mainnet =
    1. Log in at okx.com → Profile → API → Create API key.
    2. Purpose: API trading. Name: <b>{ $name }</b>.
    3. Choose a passphrase and keep it: OKX does not show it again.
    4. Permissions: <b>{ $perms }</b>.
    5. IP addresses: <b>{ $ips }</b>.
    6. Confirm, then copy the API key and the Secret key.
venue-okx-steps-demo =
    1. Log in at okx.com → Trade → Demo trading → Personal center → Demo trading API → Create API key.
    2. Name: <b>{ $name }</b>. Choose a passphrase and keep it.
    3. Permissions: <b>{ $perms }</b>. IP addresses: <b>{ $ips }</b>.
    4. Confirm, then copy the API key and the Secret key.
venue-okx-steps-regional =
    1. Log in at your OKX platform (<b>{ $env }</b>: my.okx.com in the EEA, app.okx.com in the US) → Profile → API → Create API key.
    2. Purpose: API trading. Name: <b>{ $name }</b>.
    3. Choose a passphrase and keep it: OKX does not show it again.
    4. Permissions: <b>{ $perms }</b>.
    5. IP addresses: <b>{ $ips }</b>.
    6. Confirm, then copy the API key and the Secret key — keys do not cross between OKX platforms.
format-okx-api-key = expected a UUID.
format-okx-secret = expected 32 hexadecimal characters.
format-okx-passphrase = expected 1–64 printable characters without spaces.

# What to do on the venue with a key the bot no longer keeps (after a rotation or deletion), in each
# venue's own words (venues.md, "Revoke actions per venue").
venue-xrocket-revoke = in @xRocket (testnet: @xrocket_testnet_bot) open Menu › Settings › Exchange settings › API token and choose "Renew token": xRocket has no delete, and "issuing a new token will instantly invalidate your old token".
venue-xrocket-pay-revoke = in @xRocket, open your Rocket Pay app and issue a new API token: the old one stops working.
venue-xt-revoke = on XT.com open User Center › API Management and press "Delete" on the old key.
venue-walletbot-revoke = in the wallet bot open the "API keys" section and deactivate or delete the old key.
venue-roxom-revoke = on Roxom open profile › API and press "Disable" on the old key (Roxom offers Rename and Disable, no delete).
venue-b2trader-revoke = delete the old key on your broker (from its card here: "Delete here and on the broker").
venue-binance-revoke = on Binance open API Management and press "Delete" on the old key.
venue-bybit-revoke = on Bybit open API management and press "Delete" on the old key.
venue-okx-revoke = on OKX open API keys and press "Delete" on the old key.
venue-xrocket-fix = xRocket tokens have no permissions or IP list to change: the only action is "Renew token" (Menu › Settings › Exchange settings › API token), which replaces the token.
venue-xrocket-pay-fix = Rocket Pay app tokens have no permissions or IP list to change.
venue-xt-fix = On XT.com open User Center › API Management, press "Modify" on the key, set the authorities to { $perms } and the whitelist IP to { $ips } ("a single IP address or IP segment", comma separated), then submit it for review.
venue-walletbot-fix = The wallet bot cannot edit a key after it is created: in its "API keys" section deactivate and delete this one, then create a new one with { $perms } and { $ips }.
venue-roxom-fix = Roxom keys have no permissions or IP list: its only actions are Rename and Disable.
venue-b2trader-fix = B2Trader keys cannot be edited: delete this one on your broker and create a new one with { $perms } and IP list { $ips } (from the card: "Delete here and on the broker", then "Create it for me on the broker").
venue-binance-fix = On Binance open <a href="https://www.binance.com/en/my/settings/api-management">API Management</a>, press "Edit restrictions" on the key, set the switches to { $perms } and "Restrict access to trusted IPs only" to { $ips }, then save.
venue-bybit-fix = On Bybit open <a href="https://www.bybit.com/app/user/api-management">API management</a>, press "Edit" on the key, set the permissions to { $perms } and the IP list to { $ips }, then submit.
venue-okx-fix = On OKX open <a href="https://www.okx.com/account/my-api">API keys</a>, press "Edit" on the key, set the permissions to { $perms } and the IP allowlist to { $ips }, then confirm.

## Kraken
venue-kraken-perm-funds = see balances (needed for the bot's check).
venue-kraken-perm-open = see open orders and trades.
venue-kraken-perm-closed = see closed orders and trades.
venue-kraken-perm-ledger = see ledger entries.
venue-kraken-perm-export = export data.
venue-kraken-perm-orders = create and modify orders.
venue-kraken-perm-cancel = cancel and close orders.
venue-kraken-perm-deposit = see deposit methods and addresses.
venue-kraken-perm-withdraw = withdraw funds out of Kraken.
venue-kraken-warn-nonce = Kraken requires every request's nonce to increase: do not share one key between two programs.
venue-kraken-no-ip = Without an IP restriction, Kraken accepts this key from any address.
venue-kraken-skip-ro = Kraken has no read-only switch: a key with only the query permissions is read-only.
venue-kraken-steps =
    1. Log in at kraken.com → Settings → API → Create API key.
    2. Key description: <b>{ $name }</b>.
    3. Key permissions: <b>{ $perms }</b>.
    4. IP address restriction: <b>{ $ips }</b>.
    5. Generate the key, then copy the API key and the private key — the private key is shown only once.
venue-kraken-revoke = on Kraken open Settings › API and press "Delete" on the old key.
venue-kraken-fix = Kraken reports no key settings through its API, so I cannot see what differs: on kraken.com open Settings › API, check the key's permissions ({ $perms }) and IP restriction ({ $ips }).
format-kraken-api-key = expected the API key: about 56 base64 characters.
format-kraken-private-key = expected the private key: 88 base64 characters ending in ==.

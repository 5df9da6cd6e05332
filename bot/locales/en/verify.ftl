## Verification outcomes
outcome-ok = ✅ works
outcome-bad-key = ❌ unknown key
outcome-bad-secret = ❌ wrong secret
outcome-ip-not-allowed = 🛡 not from this IP
outcome-expired = ⌛ expired
outcome-not-activated = ⏸ not activated
outcome-permission-denied = 🚫 permission denied
outcome-clock-skew = 🕒 clock difference
outcome-rate-limited = ⏳ rate limited
outcome-unreachable = 📡 venue unreachable
outcome-no-api = ℹ️ cannot be checked
outcome-unknown = ❓ unexpected answer

check-running = Checking with the venue…
check-title = <b>Check:</b> { $outcome } (venue code { $code })
check-explain-ok = The venue accepted the key with a read-only call.
check-explain-bad-key = The venue does not know this key: it was mistyped, deleted or renewed. Paste the current one with Rotate.
check-explain-bad-secret = The key exists, but the secret (or passphrase) does not match it. Paste the right one with Rotate.
check-explain-ip-not-allowed = The key exists and the signature is fine, but it refuses requests from the bot's address. That is expected if you whitelisted only your trading server: the key is probably fine.
check-explain-expired = The venue says this key has expired. Create a new one and rotate.
check-explain-not-activated = The venue says this key is not activated yet. Activate it on the venue.
check-explain-permission-denied = The key works but is not allowed to read balances, or the account is blocked.
check-explain-clock-skew = The venue's clock and the bot's differ; the bot has adjusted. Check again in a moment.
check-explain-rate-limited = The venue asked to slow down. Check again in a minute.
check-explain-unreachable = The venue did not answer in time. Check again later.
check-explain-no-api = This venue has no public API to check keys against.
check-explain-unknown = The venue answered in a way I do not recognise; its code is kept on the card.
check-egress-ip = The bot's address is <code>{ $ip }</code>: add it to the key's IP list only if you want the bot to check the key.
check-egress-unknown = The bot's own address is not configured (EGRESS_IP).
check-expiry-updated = ⏳ The venue reports an expiry date: I updated the key's expiry.

## Differences between the venue and what you recorded
drift-read-only-but-writes = You set this key as read-only, but on the venue it can: { $perms }.
drift-danger-enabled = On the venue this key can move funds out: { $perms }.
drift-perms-extra = On the venue this key also has: { $perms }.
drift-perms-missing = You recorded { $perms }, but the venue does not grant it.
drift-ips-open = You recorded an IP list, but on the venue the key works from any IP.
drift-ips-differ = The venue's IP list ({ $venue }) differs from yours ({ $ours }).
drift-ips-restricted-unrecorded = On the venue the key is bound to IPs you did not record here.

btn-verify = 🔍 Verify with the venue
card-last-check = Last check: { $outcome } · { $time } (code { $code })
audit-verified = checked with the venue
audit-expiry-from-venue = expiry taken from the venue

## B2Trader key management with the session token
broker-create = ⚡ Create it for me on the broker
broker-sync = 🔄 Sync with the broker
broker-delete-both = 🗑 Delete here and on the broker
broker-delete-here = Delete here only
broker-token-prompt = To do this on <code>{ $host }</code> I need your session token (not the API key): in your broker's web app, open the browser's developer tools → Application → Local Storage and copy the access token. Send it here: I delete the message at once and use the token only for this.
broker-remember-off = 🔐 Remember it for next time: off
broker-remember-on = 🔐 Remember it for next time (encrypted): on
broker-token-kept = 🔐 Token remembered, encrypted. It is used only for B2Trader key management on this broker.
broker-token-rejected = ❌ The broker refused this session token: it may have expired. Log in again and copy a fresh one.
broker-unreachable = 📡 { $host } did not answer. Try again later.
broker-error = ❌ The broker answered in a way I did not expect; nothing was changed here.
broker-created = ⚡ Created on { $host } with exactly the settings above; the key pair is stored encrypted.
broker-sync-result = 🔄 Synced with { $host }: { $matched } key(s) match.
broker-sync-adopted = ➕ Found on the broker only, now tracked here: { $name } (paste its private key to complete it).
broker-sync-gone = ⚠️ { $name } is no longer on the broker: delete it here if you deleted it there.
broker-deleted-both = 🗑 { $name } was deleted on the broker and here; its secret is destroyed.
broker-deleted-not-found = 🗑 { $name } was not on the broker any more; deleted here, its secret destroyed.
audit-adopted-from-venue = found on the venue and adopted
audit-deleted-on-venue = deleted on the venue
broker-refused-create = ❌ The broker refused to create the key (HTTP { $status }). B2Trader does not document its error answers; the most common cause is its limit of 3 keys per account — delete one on the broker, then try again. Nothing was saved here.
broker-refused = ❌ The broker refused this (HTTP { $status }). B2Trader does not document its error answers, so I cannot say more. Nothing was changed here.
broker-delete-refused = ❌ The broker did not delete { $name } (HTTP { $status }) and still lists it. I kept it here, with its secret, so you can try again or delete it on the broker yourself.
host-private = ❌ That host is not a public internet address (a local, internal or cloud-metadata name, or a port other than 443). Give your broker's public web address.

# The unlock passphrase (step-up before dangerous actions).
passphrase-off-info = 🔑 <b>Unlock passphrase: off</b>

    Anyone who gets into your Telegram account (a SIM swap, a phished login code, a stolen or unlocked phone) can open this chat. With a passphrase set, I ask for it before showing a secret, deleting a key or changing the passphrase, so your Telegram session alone is not enough.

    I keep only a hash of it (Argon2id), never the passphrase; the message that carries it is deleted at once.
passphrase-on-info = 🔑 <b>Unlock passphrase: on</b>

    I ask for it before showing a secret, deleting a key or changing it. Once given, I do not ask again for { $minutes } min; /lock ends that at once.
btn-passphrase-set = Set a passphrase
btn-passphrase-change = Change it
btn-passphrase-off = Turn it off
passphrase-ask-new = Send the new passphrase or PIN (at least 6 characters). I delete your message at once.
passphrase-ask-repeat = Send it once more, to be sure it is what you meant.
passphrase-ask-current = Send your current passphrase first. I delete your message at once.
passphrase-too-short = That is shorter than 6 characters. Send a longer one.
passphrase-too-long = That is longer than 256 characters. Send a shorter one.
passphrase-mismatch = The two entries differ, so nothing changed. Send the new passphrase again.
passphrase-set = ✅ Passphrase set. From now on I ask for it before showing a secret or deleting a key; once given, not again for { $minutes } min (/lock ends that).

    If you forget it, I cannot recover it: your keys still work on the venues, and you can delete them there and add new ones here.
passphrase-removed = Passphrase turned off: I no longer ask for it.
passphrase-need-text = Please send the passphrase as text.
passphrase-undeleted = ⚠️ I could not delete your message with the passphrase. Please delete it yourself now.
unlock-ask = 🔒 This needs your unlock passphrase. Send it here; I delete your message at once.
unlock-wrong = ❌ Wrong passphrase ({ $count } in a row).
unlock-wait = Too many wrong attempts: the next one is accepted in { $wait }.
unlock-blocked = ⏳ Too many wrong attempts. Try again in { $wait }. Forgot it? /settings → 🔑 Unlock passphrase → 🆘 Forgot it.
unlock-streak-warning = ⚠️ If these attempts were not yours, someone has your Telegram session: end the other sessions in Telegram → Settings → Devices, and consider deleting your keys on the venues.
unlocked = 🔓 Unlocked.
locked = 🔒 Locked: I will ask for the passphrase again.
lock-nothing = Nothing to lock: no unlocked period is running.

# Storage modes and /panic.
cmd-panic = Panic: wipe every stored secret now
btn-fingerprint-only = 🧹 Keep fingerprint only
btn-paste-new = 📋 Paste new credentials
fingerprint-only-confirm = Destroy the stored credentials of { $name }? I keep only their fingerprint (so I still recognise them in chats), the key's details and its reminders. I cannot show or check them afterwards; the key keeps working on the venue.
fingerprint-only-done = 🧹 The credentials are destroyed here; only their fingerprint is kept.
fingerprint-nothing-stored = This key is kept as a fingerprint only: there is no secret here to show or check.
audit-fingerprint-only = credentials destroyed, fingerprint kept
audit-panic = panic: credentials destroyed, fingerprint kept
audit-leaked = leaked
panic-confirm = 🚨 <b>Panic</b>

    I destroy every stored secret now: { $stored } of your { $keys } keys hold one. I keep their fingerprints (so I still recognise them), their details and reminders, and then show you how to revoke each key on its venue, since whoever has your session may have seen them. This cannot be undone.
btn-panic-go = 🚨 Yes, destroy them all
panic-done = 🧹 Every stored secret is destroyed. Now revoke the keys on the venues (I remind you until you tell me each is done):
panic-more = …and { $count } more: see /keys.
btn-revoked-named = ✅ I revoked { $name }
audit-leak-revoked = revoked on the venue (said by the owner)

# Storage mode per key.
card-storage-server = 🗄 Stored encrypted on the server: checks run unattended, and the bot's master key opens it.
card-storage-locked = 🔐 Locked with your passphrase: readable only while you are unlocked, so a copy of the server's data and master key is not enough. Health checks wait for your next unlock.
card-storage-fingerprint = 🧹 Kept as a fingerprint only: no secret stored here, so nothing to show or check; I still recognise it in chats.
btn-lock-mode = 🔐 Lock with my passphrase
btn-server-mode = 🗄 Keep on the server instead
lock-mode-needs-passphrase = Set an unlock passphrase first: /settings → Unlock passphrase.
lock-mode-confirm = Lock { $name } with your passphrase? I can then read it only while you are unlocked: verification needs you, and the daily health check runs when you next unlock. If you forget the passphrase, the stored credentials are lost (the key keeps working on the venue).
lock-mode-done = 🔐 Locked with your passphrase.
server-mode-confirm = Keep { $name } encrypted on the server instead? The bot's master key alone will open it again, so checks run unattended, and whoever holds the server's data and master key could read it.
server-mode-done = 🗄 Stored encrypted on the server again.
audit-storage-locked = locked with the passphrase
audit-storage-server = moved to server encryption
passphrase-off-locked-keys = { $count ->
    [one] One key is locked with this passphrase. Move it to the server or keep its fingerprint only (on its card) before turning the passphrase off.
   *[other] { $count } keys are locked with this passphrase. Move them to the server or keep their fingerprints only (on their cards) before turning the passphrase off.
}
passphrase-change-again = The bot restarted while you were changing the passphrase, so the keys it locks are closed again. Please start the change once more: /settings → Unlock passphrase.
locked-checks-title = 🩺 Health checks that waited for you to unlock ({ $count }):

# The authenticator (TOTP) as a second factor of the unlock.
totp-add-info = 📱 <b>Authenticator: off.</b> Add one (Google Authenticator, Aegis, 1Password…) and every unlock needs a code from it as well: a passphrase seen over your shoulder is then not enough.
totp-off-info = 📱 <b>Authenticator: on.</b> Every unlock asks for its 6-digit code first (or one of your recovery codes).
btn-totp-add = 📱 Add an authenticator
btn-totp-off = 📱 Remove the authenticator
totp-scan = 📱 Scan this QR code with your authenticator app, or enter this setup key by hand: { $secret }

    This message deletes itself in { $minutes } min.
totp-ask-first = Send the 6-digit code your app shows now, to prove it is set up. I delete your message at once.
totp-first-wrong = That code does not match. Send the code your app shows now (check that the phone's clock is right).
totp-recovery-codes = 🧯 <b>Recovery codes</b>: each one unlocks once in place of the authenticator's code, if you lose the phone. Write them down now and keep them apart from the phone; they are shown only this once.

    { $codes }

    This message deletes itself in { $minutes } min.
totp-on = ✅ Authenticator added. From now on an unlock asks for its code, then for the passphrase.
totp-removed = Authenticator removed: an unlock asks for the passphrase only.
unlock-ask-code = 🔒 This needs your unlock. First send the 6-digit code from your authenticator app (or a recovery code). I delete your message at once.
unlock-code-ok = ✅ Code accepted.
unlock-wrong-code = ❌ Wrong code ({ $count } wrong attempts in a row).
recovery-code-used = 🧯 That was a recovery code, now used up: { $left } left. Add the authenticator again in /settings if you lost the phone.

# /history: the account's audit.
cmd-history = History: reveals, unlocks and other actions
account-history-title = 📜 <b>History</b> (newest first)
history-empty = Nothing has happened yet.
btn-older = ⬅️ Older
audit-passphrase-set = unlock passphrase set
audit-passphrase-removed = unlock passphrase turned off
audit-unlock = unlocked
audit-unlock-failed = ⚠️ wrong unlock attempt ({ $detail } in a row)
audit-totp-on = authenticator added
audit-totp-off = authenticator removed
audit-recovery-code-used = recovery code used ({ $detail } left)

# A forgotten passphrase.
btn-passphrase-forgot = 🆘 Forgot it
passphrase-forgot-confirm = 🆘 <b>Forgot the passphrase?</b>

    Nothing locked with it can be opened without it, by me or anyone; that is the point of it. What I can do: destroy every secret stored here (I keep the fingerprints, so I still recognise them in chats, and the keys' details and reminders), and turn the passphrase and the authenticator off. Then set a new passphrase and paste the credentials again from the venues.

    Whoever holds your Telegram session could do this too, but would read nothing by it.
btn-passphrase-reset = 🧹 Destroy the secrets and reset
passphrase-reset-done = 🧹 Every stored secret is destroyed and the passphrase is off. Set a new one in /settings, then paste your keys' credentials again (each key's card: Paste new credentials).
audit-passphrase-reset = passphrase forgotten: secrets destroyed, passphrase off

## Commands
cmd-start = Main menu
cmd-add = Set up a new API key
cmd-keys = Your keys
cmd-cancel = Cancel what you are doing
cmd-language = Language
cmd-help = How this bot keeps your keys safe

## Menu
welcome = 👋 I help you set up trading API keys the safe way, keep them encrypted, and remind you about keys that expire, sit unused or can do too much.
menu = What would you like to do?
menu-draft = You have an unfinished key setup. Resume it, discard it, or pick something else.
help =
    <b>How I keep your keys safe</b>
    • <b>Add key</b> walks you through name → permissions → read-only → IP list → expiry → activation, using the venue's own rules, then tells you exactly where to click on the venue.
    • Credentials you paste are deleted from the chat at once and stored encrypted (AES-256-GCM). You only ever see them masked, unless you ask to reveal them for a few seconds.
    • Least privilege by default: read-only is preselected; withdrawals are never preselected and always warned about.
    • If you paste a secret where it does not belong, I delete the message.

    /add — set up a key · /keys — your keys · /report — security report · /settings — time zone, quiet hours, reminders · /cancel — stop the current step · /language — language
btn-add = ➕ Add key
btn-keys = 🔑 My keys
btn-language = 🌐 Language
btn-help = ❓ Help
btn-menu = 🏠 Menu
btn-resume = ▶️ Resume: { $draft }
btn-discard = 🗑 Discard the draft
fallback = I did not understand that. Use the menu below, or /help.
nothing-to-cancel = There is nothing to cancel.
flow-cancelled = Cancelled. Nothing was saved.
button-outdated = This button is outdated. Open the menu again with /start.
use-keyboard-text = Please answer with a message.
language-pick = Choose your language:
language-set = Language set to English.
draft-exists = You have an unfinished key setup. Resume it or discard it first.
draft-gone = That setup is gone. Start again with /add.
draft-discarded = The draft was discarded. Nothing was saved.

need-text = Please send text here.
use-buttons = Please use the buttons.

## Setup flow
add-pick-venue = <b>New API key</b>
    Which venue is it for?
add-env = <b>{ $venue }</b>: which environment?
add-host = <b>{ $venue }</b>: every broker runs its own B2Trader exchange. Send your broker's exchange address, e.g. <code>exchange.mybroker.com</code>.
add-name = <b>{ $venue }</b> ({ $env }): send a name for this key (1–64 characters), e.g. <i>Trading bot</i>. Names are unique per venue.
name-current = Current name: <b>{ $name }</b>
add-perms = <b>{ $venue }</b>: what may this key do? Tap to switch. Only what is needed is selected.
add-ro = <b>{ $venue }</b>: make it a <b>read-only</b> key? A read-only key can see balances and orders but can change nothing.
add-ips = <b>{ $venue }</b>: which IP addresses may use this key?
    Send the addresses of the servers that will use it, separated by commas, spaces or new lines ({ $rules }).
ips-current = Current list: { $ips }
add-exp-venue = <b>{ $venue }</b>: when should the key expire?
add-exp-none = <b>{ $venue }</b> keys do not expire. Keep it without expiry, or pick a date on which I remind you to review it.
add-exp-auto = <b>{ $venue }</b> keys have no expiry setting, but without an IP list { $venue } disables them after { $days } days: on <b>{ $date }</b>. Keep that date, or pick an earlier one on which I remind you.
add-exp-date = Send the date for the reminder as <code>YYYY-MM-DD</code> or <code>DD.MM.YYYY</code>.
add-act = <b>{ $venue }</b>: activate the key right away? If not, it is created inactive and you can activate it later.
edit-pick-step = Which step do you want to change?

step-env = Environment
step-host = Broker host
step-name = Name
step-perms = Permissions
step-ro = Read-only
step-ips = IP list
step-exp = Expiry
step-act = Activation

skip-perms = { $venue } keys have no permission settings.
skip-ro = { $venue } has no separate read-only switch.
skip-ips = { $venue } has no IP allow-list.
skip-act = { $venue } keys are active as soon as they are created.

btn-back = ⬅️ Back
btn-cancel = ✖️ Cancel
btn-next = Next ➡️
btn-confirm = ✅ Confirm
btn-edit = ✏️ Edit
btn-ro-yes = 👁 Yes, view only
btn-ro-no = No
btn-allow-all-ips = 🌍 Allow all IPs
btn-keep-ips = Keep { $count ->
    [one] 1 address
   *[other] { $count } addresses
    }
btn-add-ips = 🛡 Add IPs instead
btn-any-ip-anyway = Continue without a list
btn-activate-yes = ✅ Activate now
btn-activate-no = ⏸ Create inactive

env-mainnet = Mainnet
env-testnet = Testnet
env-demo = Demo trading
env-eea = EEA site
env-nl = Netherlands site
env-tr = Turkey site
env-kz = Kazakhstan site
env-ge = Georgia site
env-ae = UAE site
env-id = Indonesia site
env-us = US site

host-invalid = That is not a valid public host name. Send something like <code>exchange.mybroker.com</code>.
name-empty = The name is empty. Send 1–64 characters.
name-too-long = The name is longer than 64 characters. Send a shorter one.
name-control = The name contains control or invisible characters. Send plain text.
name-taken = You already have a { $venue } key with this name. Send another name.

perm-required = { $perm } is always on for this venue.
perm-danger-alert = ⚠️ { $perm } lets this key move money out of your account. Only enable it if a tool really needs it, and bind the key to IP addresses.
perms-none = none
warn-danger-perms = ⚠️ Can move funds out: <b>{ $perms }</b>. A leaked key with these rights can empty the account.
ro-dropped = Read-only: removed { $perms }.

ip-rule-v6 = IPv4 and IPv6
ip-rule-v4-only = IPv4 only
ip-rule-cidr = ranges in CIDR form allowed
ip-rule-max = at most { $max }
ip-rule-no-max = no published maximum
ip-bad-invalid = ❌ <code>{ $entry }</code> is not an IP address.
ip-bad-no-cidr = ❌ <code>{ $entry }</code>: this venue takes single addresses, not ranges.
ip-bad-no-ipv6 = ❌ <code>{ $entry }</code>: this venue takes IPv4 addresses only.
ip-bad-not-public = ❌ <code>{ $entry }</code> is a private or reserved address; the venue sees your server's public address.
ip-bad-more = … and { $count } more bad entries.
ip-over-limit = { $venue } allows at most { $max } addresses; you sent { $count }.
ip-none-found = I found no addresses in that message.
ip-accepted = ✅ { $count ->
    [one] 1 address saved.
   *[other] { $count } addresses saved.
    }
ip-duplicates = { $count ->
    [one] 1 duplicate removed.
   *[other] { $count } duplicates removed.
    }
ips-any = any IP ⚠️
warn-any-ip = ⚠️ This key can trade or move funds, and without an IP list anyone who gets it can use it from anywhere.
warn-ip-required = { $venue } allows { $perms } only for keys with an IP list. Add IP addresses or switch it off.
no-ip-generic = Binding the key to your servers' IPs makes a leaked key useless to others.

expiry-never = Never
expiry-30d = 30 days
expiry-90d = 90 days
expiry-6m = 6 months
expiry-1y = 1 year
expiry-none = No expiry
expiry-remind = 📅 Remind me on a date
expiry-remind-on = no expiry; reminder on { $date }
expiry-on = expires on { $date }
expiry-venue-auto = ⏳ { $venue } disables keys without an IP list after { $days } days, so I will count this key as expiring then.
date-invalid = That is not a date in the future (within ten years). Use <code>YYYY-MM-DD</code> or <code>DD.MM.YYYY</code>.

answer-yes = yes
answer-no = no
answer-unset = not answered
summary-title = <b>Check your new key</b>
summary-venue = Venue: <b>{ $venue }</b> ({ $env })
summary-host = Broker: <code>{ $host }</code>
summary-name = Name: <b>{ $name }</b>
summary-perms = Permissions: { $perms }
summary-ro = Read-only: { $answer }
summary-ips = IP list: { $ips }
summary-expiry = Expiry: { $expiry }
summary-activate = Activate now: { $answer }

## Creating the key on the venue and pasting it
create-intro = ✅ Saved. Now create exactly this key on <b>{ $venue }</b>:
rotate-intro = 🔄 Rotation: create a new key on <b>{ $venue }</b> (or renew it) with the same settings, then paste the new credentials. Your current ones stay stored until you confirm the new ones work.
paste-field = 📋 Paste the <b>{ $field }</b> ({ $n }/{ $total }). I delete your message at once and store it encrypted.
paste-pem-hint = You can paste the PEM text or send the <code>.pem</code> file.
paste-field-ok = ✅ { $field } stored.
paste-bad-format = ❌ That does not look like a { $venue } { $field }: { $expected } I deleted your message; paste it again.
paste-need-text = Please paste the value as text.
paste-need-text-or-pem = Please paste the value as text or send it as a small .pem file.
paste-undeleted = ⚠️ I could not delete your message with the credential. Please delete it yourself now.
paste-cancelled = Pasting cancelled. Nothing you pasted was kept.
credentials-saved = 🔐 Credentials stored encrypted. Your messages with them were deleted.
rotate-saved = 🔄 New credentials stored. The previous ones are kept until you confirm the new ones work.

field-token = API token
field-access_key = Access key
field-secret = Secret key
field-api_key = API key
field-key_id = Key ID
field-private_key = Private key
field-public_key = Public key
field-passphrase = Passphrase

## Key list and card
keys-empty = You have no keys yet.
keys-title = <b>Your keys</b> ({ $count })
key-not-found = That key was not found.
card-venue = { $venue } · { $env }
card-key = Key: <code>{ $masked }</code>
card-no-credentials = not pasted yet
card-status = Status: { $status }
card-times = Created { $created }
    Activated { $activated }
    Last used { $used }
    Last checked { $verified }
card-no-api = ℹ️ { $venue } has no public API: I track this key but cannot check it online.
card-rotation-pending = 🔄 <b>Rotation pending.</b> Do the new credentials work? Confirm to destroy the previous ones, or roll back.
time-never = never
status-pending = ⏳ waiting for credentials
status-active = 🟢 active
status-disabled = ⏸ inactive
status-deleted = 🗑 deleted

btn-paste = 📋 Paste credentials
btn-delete = 🗑 Delete
btn-deactivate = ⏸ Deactivate
btn-activate = ▶️ Activate
btn-rotation-ok = ✅ New ones work
btn-rotation-back = ↩️ Roll back
btn-rename = ✏️ Rename
btn-expiry = ⏰ Expiry
btn-mark-used = ✔️ Still in use
btn-rotate = 🔄 Rotate
btn-reveal = 👁 Reveal
btn-history = 📜 History
btn-key-list = 🔑 All keys
btn-yes-sure = Yes, I am sure
btn-no = No

rename-prompt = Send a new name for <b>{ $name }</b>.
renamed = ✅ Renamed.
edit-expiry = Expiry of <b>{ $name }</b>: { $current }. Pick a new one.
expiry-saved = ✅ Expiry saved.
marked-used = ✅ Noted: the key is still in use.
venue-toggle-hint = Remember to do the same on { $venue }: this changes only my records.
rotation-confirmed = ✅ The previous credentials were destroyed. Now remove the old key on the venue: { $revoke }
rotation-rolled-back = ↩️ Rolled back: the previous credentials are current again; the new ones were destroyed.
reveal-confirm = Show the secret in this chat for { $seconds } seconds? The message cannot be forwarded or saved, and is deleted automatically.
reveal-title = 👁 <b>{ $name }</b> — this message deletes itself in { $seconds } seconds.
delete-confirm = Delete <b>{ $name }</b> ({ $venue })? The stored secret is destroyed for good. Delete the key on { $venue } too.
deleted = 🗑 <b>{ $name }</b> was deleted here and its secret destroyed. The key still works on { $venue } until you remove it there: { $revoke }
history-title = <b>History of { $name }</b>

limit-keys = { $venue } allows at most { $limit } keys. Delete one you no longer use first.
limit-active = { $venue } allows at most { $limit } active keys. Deactivate one first.
limit-per-environment = { $venue } has one token per environment, and you already have it. Rotate it from its card instead.

audit-created = set up
audit-credentials-saved = credentials stored
audit-rotated = rotated
audit-revealed = secret revealed
audit-renamed = renamed
audit-activated = activated
audit-deactivated = deactivated
audit-expiry-changed = expiry changed
audit-marked-used = marked as in use
audit-rotation-confirmed = rotation confirmed, old credentials destroyed
audit-rotation-rolled-back = rotation rolled back
audit-deleted = deleted

# Trust: outdated buttons, settled rotations, errors
card-outdated = ⚠️ That button belonged to an older version of this card: nothing was changed. Here is the current card.
rotation-not-pending = No rotation is waiting on this key any more: nothing was changed.
rotate-same-credentials = ❌ These are the credentials the key already has, so nothing was rotated. Create a new key on the venue and paste that one. I deleted your message.
rotate-revoke-old = When the new credentials work, press "New ones work" and remove the old key on the venue: { $action }
key-actions-private = 🔒 Key actions work only in my private chat, so no one else sees them.
open-private-chat = 🔒 Keys are managed in a private chat with me, not in groups: { $link }
btn-open-private = 🔒 Open the private chat
error-nothing-saved = ⚠️ Something went wrong on my side and nothing was saved. You are where you were: please try again.
error-vault = ⚠️ The stored secret of this key cannot be decrypted (a damaged record or a changed master key). Nothing was changed; delete the key here and add it again, and tell the bot's operator.
error-storage = ⚠️ I could not save that (my storage is unavailable right now). Nothing was saved: please try again in a minute.
reveal-private-only = 🔒 Secrets are shown only in my private chat.
reveal-document = 👁 <b>{ $name }</b> — the credentials are in this file, which deletes itself in { $seconds } seconds. It cannot be forwarded or saved.
reveal-preparing = 👁 …
wrong-step-credential = 🔐 That looked like a key or a secret, so I deleted it and kept nothing. Credentials are pasted only when I ask for them, after the setup.
wrong-step-credential-undeleted = 🔐 That looks like a key or a secret, and I could not delete it: please delete it yourself. I kept nothing.
perms-none-chosen = A key with no permission at all cannot do anything on { $venue }: choose at least one.
btn-report = 🛡 Report
btn-settings = ⚙️ Settings
keys-issues = 🛡 { $count } open issue(s): see /report. 🔴 critical · 🟠 high · 🟡 medium · ⚪ low
paste-rsa-too-large = ❌ That RSA key has { $bits } bits; I accept at most { $max } (checking a larger one would stall the bot for everyone). I deleted your message: generate a 2048- or 4096-bit key.

card-compromised = 🚨 <b>Leaked</b> in a chat on { $time }: anyone who saw it can use this key. Revoke it: { $revoke } Then rotate or delete it here.
btn-revoked = ✅ I revoked it
leak-revoked-noted = ✅ Noted: the leaked key was revoked on the venue. No more reminders about it.
leak-nothing-open = There is no open leak on this key.
duration-dh = { $d } d { $h } h
duration-hm = { $h } h { $m } min
duration-m = { $m } min
duration-s = { $s } s

## What was found, in words
leak-kind-seed = a seed phrase
leak-kind-wallet-key = a wallet private key
leak-kind-private-key = a private key
leak-kind-exchange = an exchange API secret
leak-kind-own = one of your stored keys
leak-kind-password = a password
leak-kind-webhook = a webhook URL with its secret
leak-kind-token = an access token

## Private chat
secret-wrong-step = 🔐 That message contained { $kinds }, so I deleted it. Do not paste credentials at this step: I will ask for them at the end.
leak-private-deleted = 🔐 I deleted your message: it contained { $kinds }.
leak-private-undeleted = 🔐 Your message contains { $kinds }, but I could not delete it (messages older than 48 hours cannot be deleted by bots). Please delete it yourself now, and since it stayed visible:
    { $remedies }
    I will remind you every 30 minutes until you tell me it is gone.
leak-own-key = It matches a key you stored here: it is marked as leaked until you rotate, delete or revoke it.
btn-open-key = 🔑 Open the key
btn-rotate-key = 🔄 Rotate it
btn-leak-deleted = ✅ I deleted it
btn-leak-dismiss = Dismiss
leak-reminder = ⏰ Reminder: a message with { $kinds } is still in a chat, and I could not delete it. Delete it yourself, then tell me.
leak-reminder-stopped = ✅ OK, no more reminders about that message.

## Groups
leak-group-deleted = 🔐 I removed your message in { $chat }: it contained { $kinds }. Others may have seen it, and deleting does not un-leak it:
    { $remedies }
leak-group-deleted-public = 🔐 { $name }, I removed your message: it contained { $kinds }. Details are in our private chat, if you opened it.
leak-group-dryrun = 🧪 Dry run in { $chat }: your message contains { $kinds }. With the guard on I would have removed it. Delete it and rotate the key.
leak-group-dryrun-public = 🧪 { $name }, your message contains { $kinds } (dry run: not removed). Delete it and rotate the key.
leak-group-dryrun-anonymous = 🧪 A message above contains { $kinds } (dry run: not removed).
leak-group-undeleted = 🔐 Your message in { $chat } contains { $kinds }, and I could not remove it. Delete it yourself now and rotate the key.
leak-group-undeleted-public = 🔐 { $name }, your message contains { $kinds }. I cannot remove it: please delete it and rotate the key.
leak-group-anonymous = 🔐 I removed a message that contained { $kinds }.
guard-no-rights = ⚠️ I cannot delete messages here. To remove leaked keys, make me an administrator with the “Delete messages” right.
guard-rights-ok = ✅ I can delete messages here.
guard-status = 🛡 Secret guard: { $mode }. Exempt members: { $exempt }.
    Admins: /guard on · /guard off · /guard dryrun · reply to someone with /guard exempt or /guard unexempt.
guard-mode-name-on = on
guard-mode-name-off = off
guard-mode-name-dryrun = dry run (report, do not delete)
guard-mode-on = 🛡 Guard is on: I remove every message that exposes a secret.
guard-mode-off = Guard is off: I will not look at messages here.
guard-mode-dryrun = 🧪 Dry run: I tell the sender about secrets, but do not remove anything.
guard-admins-only = Only group admins can change the guard.
guard-exempt-usage = Reply to a member's message with /guard exempt or /guard unexempt.
guard-exempted = { $name } is exempt: I will not touch their messages.
guard-unexempted = { $name } is guarded again.
guard-usage = Use /guard, /guard on, /guard off, /guard dryrun, or reply with /guard exempt | unexempt.
guard-welcome = 👋 I remove messages that expose secrets — API keys, seed phrases, private keys — so nobody can use them. Make me an administrator with the “Delete messages” right. Admins can use /guard to see and change how I work.

leak-private-remedies = If anyone else could have seen it:
    { $remedies }
remedy-wallet = A seed phrase or wallet key cannot be rotated: move the funds to a new wallet now, before someone else does.
remedy-exchange = Revoke that API key on its exchange now (delete or disable it there), create a new one, and rotate or delete it here.
remedy-own = { $name } ({ $venue }): { $revoke } Then rotate or delete it here.
remedy-bot-token = Revoke the bot token: send /revoke to @BotFather and choose the bot; update the new token wherever it runs.
remedy-password = Change that password now and turn on two-factor authentication.
remedy-private-key = Replace that key pair: make a new one and remove the old public key wherever it is trusted (servers, venues).
remedy-webhook = Delete that webhook and create a new one: anyone with the URL can post through it.
remedy-token = Revoke that token where it was issued and create a new one.
leak-owner-private = 🚨 Your key <b>{ $name }</b> ({ $venue }) was posted in { $chat }. I removed the message, but others may have seen it, and the key works until you revoke it: { $revoke } I will remind you until it is rotated, deleted or revoked.

## Telegram Business: the user's own private chats
biz-connected = 🛡 Connected to your account: I now check your private chats with other people and remove any message that holds a secret — yours or theirs — and tell you here.
biz-missing-read = ⚠️ The right "Read messages" is off: I cannot see your chats. Turn it on in Settings › Telegram Business › Chatbots.
biz-missing-delete = ⚠️ The right "Delete all messages" is off: I can warn you about a leak but not remove it. Turn it on in Settings › Telegram Business › Chatbots.
biz-too-old = It is older than 48 hours, so bots can no longer delete it: delete it yourself.
biz-disconnected = Your Telegram Business connection with me was removed: I no longer see or guard your private chats.
biz-how-to = 🛡 I can also guard your private chats with other people: with Telegram Premium, open Settings › Telegram Business › Chatbots, add me, and allow "Read messages" and "Delete all messages". I will then remove any message there that holds a secret, and tell you here.
biz-removed-own = 🔐 I removed your message in your chat with { $peer }: it contained { $kinds }.
biz-removed-peer = 🔐 I removed a message { $peer } sent you: it contained { $kinds }.
biz-not-removed-own = 🔐 Your message in your chat with { $peer } contains { $kinds }, and I could not remove it.
biz-not-removed-peer = 🔐 A message { $peer } sent you contains { $kinds }, and I could not remove it.
biz-remedies = The other person may already have read it:
    { $remedies }
biz-scam-warning = ⚠️ No exchange, wallet or "support agent" ever needs your seed phrase or private key. Whoever asked for it is trying to take your funds.
leak-kind-session = a Telegram login session
remedy-session = Whoever has that session string is logged in as you: in Telegram open Settings › Devices, terminate the other sessions, and turn on two-step verification.

# Group notices merged when a group's minute of notices is used up.
leak-group-merged = 🧹 In the last minute I also removed { $count } messages that exposed secrets ({ $kinds }), from { $names }. Everyone here may have seen them: whoever posted one, replace it.
leak-group-merged-someone = members of this group
leak-group-merged-others = { $names } and { $count } more

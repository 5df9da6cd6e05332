## Reminders
rem-expiring-30 = ⏳ <b>{ $name }</b> ({ $venue }) expires in { $days } days, on { $date }.
rem-expiring-7 = ⏳ <b>{ $name }</b> ({ $venue }) expires in { $days } days, on { $date }: prepare a new key so nothing stops.
rem-expiring-1 = ⏰ <b>{ $name }</b> ({ $venue }) expires tomorrow, { $date }. Anything using it will stop.
rem-expired = ⌛ <b>{ $name }</b> ({ $venue }) expired on { $date }. Rotate it, or delete it if it is no longer needed.
rem-venue-date = ⏳ <b>{ $name }</b> ({ $venue }): { $what } ({ $days } days left). Bind the key to your IPs on the venue, or prepare a new key so nothing stops.
rem-unused = 💤 <b>{ $name }</b> ({ $venue }) shows no sign of use for { $days } days. Is it still needed? An unused key is only a risk.
rem-never-activated = ⏸ <b>{ $name }</b> ({ $venue }) was created inactive and never activated. Activate it or delete it.
rem-abandoned = 📝 You started setting up a key and stopped half-way. Finish it or discard it?
rem-risky-withdraw = ⚠️ <b>{ $name }</b> ({ $venue }) can move funds out and works from any IP address. Bind it to your servers' IPs or remove those rights.
rem-risky-full-access = ⚠️ <b>{ $name }</b> ({ $venue }) is a full-access token, { $days } days old. Renew it in xRocket and rotate it here.
rem-rotation = 🔄 <b>{ $name }</b> ({ $venue }) has had the same credentials for { $days } days. Time to rotate.
rem-health = 🩺 Health check failed for <b>{ $name }</b> ({ $venue }): { $outcome }.
rem-many = 🔔 { $count } things need your attention:
rem-draft-label = Unfinished setup
rem-snoozed-day = ⏰ OK, I will remind you tomorrow.
rem-snoozed-week = ⏰ OK, I will remind you in a week.
rem-muted = 🔕 No more reminders of this kind for this key.
rem-deactivated = ⏸ { $name } is marked inactive here. Disable it on the venue too.
btn-snooze-day = ⏰ 1 day
btn-snooze-week = ⏰ 1 week
btn-still-needed = ✔️ Still needed
btn-mute-kind = 🔕 Mute this
btn-mute-short = 🔕
btn-resume-draft = ▶️ Finish it
audit-health-check-on = daily health check on
audit-health-check-off = daily health check off
cmd-report = Security report over all your keys
cmd-settings = Reminders, quiet hours, time zone
cmd-lock = Lock: ask for the passphrase again now
btn-health-off = 🩺 Daily check: off
btn-health-on = 🩺 Daily check: on
health-on = 🩺 I will check this key with the venue every day and alert you at once if it fails.
health-off = Daily check turned off.

## Settings
settings-title = <b>⚙️ Settings</b>
    Time zone: { $tz }
    Quiet hours: { $quiet }
    Reminders: { $mode }
    Unused after: { $unused } days
    Rotate after: { $rotation } days
settings-quiet-off = off
settings-digest-on = one daily digest at { $time }
settings-digest-off = as they come
btn-set-timezone = 🌍 Time zone
btn-set-quiet = 🌙 Quiet hours
btn-set-digest-on = 📬 Switch to a daily digest
btn-set-digest-off = 📬 Switch to single reminders
btn-set-unused = 💤 Unused after…
btn-set-rotation = 🔄 Rotate after…
btn-set-passphrase = 🔑 Unlock passphrase
settings-ask-timezone = Send your time zone, like <code>Europe/Moscow</code>, <code>America/New_York</code> or <code>+3</code>.
settings-ask-quiet = Send quiet hours like <code>23-8</code> or <code>22:30-07:00</code> (your local time), or <code>off</code>.
settings-ask-unused-days = After how many days without use should I ask whether a key is still needed? (1–365)
settings-ask-rotation-days = After how many days should I suggest rotating a key? (7–730)
settings-bad-timezone = I do not know that time zone. Try <code>Europe/Berlin</code> or <code>+2</code>.
settings-bad-quiet = Send it like <code>23-8</code>, or <code>off</code>.
settings-bad-unused-days = Send a number of days from 1 to 365.
settings-bad-rotation-days = Send a number of days from 7 to 730.
settings-saved = ✅ Saved.

## Report
report-clean = 🛡 No issues: all your keys look healthy.
report-title = <b>🛡 Security report</b> — { $count } issue(s)
report-severity-critical = 🔴 Critical
report-severity-high = 🟠 High
report-severity-medium = 🟡 Medium
report-severity-low = ⚪ Low
report-withdraw-no-ip = { $name } ({ $venue }) can move funds out with no IP list.
report-failed-check = { $name } ({ $venue }) failed its last check with the venue.
report-drift = { $name } ({ $venue }) is set up differently on the venue than you recorded: see its card.
report-full-access = { $name } ({ $venue }) is a full-access token.
report-expired = { $name } ({ $venue }) has expired.
report-expiring-soon = { $name } ({ $venue }) expires within a week.
report-expiring = { $name } ({ $venue }) expires within a month.
report-unused = { $name } ({ $venue }) has not been used for a long time.
report-rotation = { $name } ({ $venue }) is due for rotation.
report-never-checked = { $name } ({ $venue }) was never checked with the venue.
report-pending = { $name } ({ $venue }) still waits for its credentials.
report-over-limit = You track more keys on a venue than it allows: some of them no longer exist there.
report-fix-card = Open
report-fix-ver = Check
report-fix-rot = Rotate
report-fix-used = Still needed
report-fix-keys = Keys
report-more = … and { $count } more. Fix the ones above first.

rem-compromised = 🚨 <b>{ $name }</b> ({ $venue }) leaked in a chat { $hours } h ago and still works until you revoke it: { $revoke }
report-compromised = { $name } ({ $venue }) leaked in a chat and is not revoked yet.
report-leaks = 🚨 Leaks of your keys: { $open } open · { $revoked } revoked (median time from leak to revocation: { $median }).
report-withdraw-on-server = { $name } ({ $venue }) can move funds and is kept server-encrypted: lock it with your passphrase, or keep its fingerprint only.
report-fix-lockp = Lock
report-storage = 🗄 Storage: { $server } on the server · { $locked } locked with your passphrase · { $fingerprint } fingerprint only.

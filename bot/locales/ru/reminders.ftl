## Reminders
rem-expiring-30 = ⏳ <b>{ $name }</b> ({ $venue }) истекает через { $days } дн., { $date }.
rem-expiring-7 = ⏳ <b>{ $name }</b> ({ $venue }) истекает через { $days } дн., { $date }: подготовьте новый ключ, чтобы ничего не остановилось.
rem-expiring-1 = ⏰ <b>{ $name }</b> ({ $venue }) истекает завтра, { $date }. Всё, что им пользуется, остановится.
rem-expired = ⌛ Срок <b>{ $name }</b> ({ $venue }) истёк { $date }. Замените ключ или удалите, если он больше не нужен.
rem-venue-date = ⏳ <b>{ $name }</b> ({ $venue }): { $what } (осталось дней: { $days }). Привяжите ключ к своим IP на площадке или подготовьте новый, чтобы ничего не остановилось.
rem-unused = 💤 <b>{ $name }</b> ({ $venue }) не используется уже { $days } дн. Он ещё нужен? Неиспользуемый ключ — только риск.
rem-never-activated = ⏸ <b>{ $name }</b> ({ $venue }) создан неактивным и так и не включён. Включите или удалите его.
rem-abandoned = 📝 Вы начали настраивать ключ и остановились на полпути. Закончить или удалить черновик?
rem-risky-withdraw = ⚠️ <b>{ $name }</b> ({ $venue }) может выводить средства и работает с любого IP. Привяжите его к IP серверов или уберите эти права.
rem-risky-full-access = ⚠️ <b>{ $name }</b> ({ $venue }) — токен с полным доступом, ему { $days } дн. Обновите его в xRocket и замените здесь.
rem-rotation = 🔄 У <b>{ $name }</b> ({ $venue }) одни и те же данные уже { $days } дн. Пора заменить.
rem-health = 🩺 Проверка <b>{ $name }</b> ({ $venue }) не прошла: { $outcome }.
rem-many = 🔔 Требует внимания: { $count }.
rem-draft-label = Незаконченная настройка
rem-snoozed-day = ⏰ Хорошо, напомню завтра.
rem-snoozed-week = ⏰ Хорошо, напомню через неделю.
rem-muted = 🔕 Больше не напоминаю об этом по этому ключу.
rem-deactivated = ⏸ { $name } отмечен здесь как неактивный. Отключите его и на площадке.
btn-snooze-day = ⏰ 1 день
btn-snooze-week = ⏰ 1 неделя
btn-still-needed = ✔️ Ещё нужен
btn-mute-kind = 🔕 Не напоминать
btn-mute-short = 🔕
btn-resume-draft = ▶️ Закончить
audit-health-check-on = ежедневная проверка включена
audit-health-check-off = ежедневная проверка выключена
cmd-report = Отчёт о безопасности всех ключей
cmd-settings = Напоминания, тихие часы, часовой пояс
cmd-lock = Заблокировать: снова спрашивать пароль
btn-health-off = 🩺 Ежедневная проверка: выкл
btn-health-on = 🩺 Ежедневная проверка: вкл
health-on = 🩺 Буду проверять этот ключ на площадке каждый день и сразу сообщу, если проверка не пройдёт.
health-off = Ежедневная проверка выключена.

## Settings
settings-title = <b>⚙️ Настройки</b>
    Часовой пояс: { $tz }
    Тихие часы: { $quiet }
    Напоминания: { $mode }
    Не используется после: { $unused } дн.
    Замена после: { $rotation } дн.
settings-quiet-off = нет
settings-digest-on = одна ежедневная сводка в { $time }
settings-digest-off = по мере появления
btn-set-timezone = 🌍 Часовой пояс
btn-set-quiet = 🌙 Тихие часы
btn-set-digest-on = 📬 Присылать одной сводкой в день
btn-set-digest-off = 📬 Присылать по одному
btn-set-unused = 💤 Не используется после…
btn-set-rotation = 🔄 Заменять после…
btn-set-passphrase = 🔑 Пароль разблокировки
settings-ask-timezone = Пришлите часовой пояс, например <code>Europe/Moscow</code>, <code>Asia/Almaty</code> или <code>+3</code>.
settings-ask-quiet = Пришлите тихие часы, например <code>23-8</code> или <code>22:30-07:00</code> (по вашему времени), или <code>off</code>.
settings-ask-unused-days = Через сколько дней без использования спрашивать, нужен ли ключ? (1–365)
settings-ask-rotation-days = Через сколько дней предлагать заменить ключ? (7–730)
settings-bad-timezone = Такого часового пояса я не знаю. Попробуйте <code>Europe/Moscow</code> или <code>+3</code>.
settings-bad-quiet = Пришлите в виде <code>23-8</code> или <code>off</code>.
settings-bad-unused-days = Пришлите число дней от 1 до 365.
settings-bad-rotation-days = Пришлите число дней от 7 до 730.
settings-saved = ✅ Сохранено.

## Report
report-clean = 🛡 Проблем нет: все ключи в порядке.
report-title = <b>🛡 Отчёт о безопасности</b> — проблем: { $count }
report-severity-critical = 🔴 Критично
report-severity-high = 🟠 Важно
report-severity-medium = 🟡 Средне
report-severity-low = ⚪ Низко
report-withdraw-no-ip = { $name } ({ $venue }) может выводить средства и не привязан к IP.
report-failed-check = { $name } ({ $venue }) не прошёл последнюю проверку на площадке.
report-drift = { $name } ({ $venue }) на площадке настроен иначе, чем записано: см. карточку.
report-full-access = { $name } ({ $venue }) — токен с полным доступом.
report-expired = Срок { $name } ({ $venue }) истёк.
report-expiring-soon = { $name } ({ $venue }) истекает в течение недели.
report-expiring = { $name } ({ $venue }) истекает в течение месяца.
report-unused = { $name } ({ $venue }) давно не используется.
report-rotation = { $name } ({ $venue }) пора заменить.
report-never-checked = { $name } ({ $venue }) ни разу не проверялся на площадке.
report-pending = { $name } ({ $venue }) всё ещё ждёт данных ключа.
report-over-limit = Вы отслеживаете больше ключей площадки, чем она разрешает: части из них там уже нет.
report-fix-card = Открыть
report-fix-ver = Проверить
report-fix-rot = Заменить
report-fix-used = Ещё нужен
report-fix-keys = Ключи
report-more = … и ещё { $count }. Сначала исправьте те, что выше.

rem-compromised = 🚨 <b>{ $name }</b> ({ $venue }) утёк в чате { $hours } ч назад и работает, пока вы его не отзовёте: { $revoke }
report-compromised = { $name } ({ $venue }) утёк в чате и ещё не отозван.
report-leaks = 🚨 Утечки ваших ключей: открыто { $open } · отозвано { $revoked } (медиана от утечки до отзыва: { $median }).
report-withdraw-on-server = { $name } ({ $venue }) может выводить средства и хранится с серверным шифрованием: заприте его паролем или оставьте только отпечаток.
report-fix-lockp = Запереть
report-storage = 🗄 Хранение: { $server } на сервере · { $locked } заперты паролем · { $fingerprint } только отпечаток.

## Verification outcomes
outcome-ok = ✅ работает
outcome-bad-key = ❌ ключ не найден
outcome-bad-secret = ❌ неверный секрет
outcome-ip-not-allowed = 🛡 не с этого IP
outcome-expired = ⌛ истёк
outcome-not-activated = ⏸ не активирован
outcome-permission-denied = 🚫 нет прав
outcome-clock-skew = 🕒 расхождение часов
outcome-rate-limited = ⏳ слишком часто
outcome-unreachable = 📡 площадка недоступна
outcome-no-api = ℹ️ проверить нельзя
outcome-unknown = ❓ неожиданный ответ

check-running = Проверяю на площадке…
check-title = <b>Проверка:</b> { $outcome } (код площадки { $code })
check-explain-ok = Площадка приняла ключ: сделан запрос только на чтение.
check-explain-bad-key = Площадка не знает этот ключ: опечатка, ключ удалён или обновлён. Пришлите текущий через «Заменить».
check-explain-bad-secret = Ключ есть, но секрет (или парольная фраза) к нему не подходит. Пришлите верный через «Заменить».
check-explain-ip-not-allowed = Ключ существует и подпись верна, но запросы с адреса бота он не принимает. Так и должно быть, если в белом списке только ваш торговый сервер: скорее всего, ключ в порядке.
check-explain-expired = Площадка сообщает, что срок ключа истёк. Создайте новый и замените.
check-explain-not-activated = Площадка сообщает, что ключ ещё не активирован. Активируйте его на площадке.
check-explain-permission-denied = Ключ работает, но не может читать балансы, или аккаунт заблокирован.
check-explain-clock-skew = Часы площадки и бота расходятся; бот учёл разницу. Проверьте ещё раз через минуту.
check-explain-rate-limited = Площадка просит реже. Проверьте ещё раз через минуту.
check-explain-unreachable = Площадка не ответила вовремя. Проверьте позже.
check-explain-no-api = У этой площадки нет публичного API для проверки ключей.
check-explain-unknown = Площадка ответила непонятно; её код сохранён в карточке.
check-egress-ip = Адрес бота — <code>{ $ip }</code>: добавьте его в список IP ключа, только если хотите, чтобы бот мог проверять ключ.
check-egress-unknown = Собственный адрес бота не настроен (EGRESS_IP).
check-expiry-updated = ⏳ Площадка сообщила срок действия: я обновил срок ключа.

## Differences between the venue and what you recorded
drift-read-only-but-writes = Вы записали ключ как «только чтение», а на площадке он может: { $perms }.
drift-danger-enabled = На площадке этот ключ может выводить средства: { $perms }.
drift-perms-extra = На площадке у ключа есть ещё: { $perms }.
drift-perms-missing = Вы записали { $perms }, но площадка этого не разрешает.
drift-ips-open = Вы записали список IP, а на площадке ключ работает с любого IP.
drift-ips-differ = Список IP на площадке ({ $venue }) отличается от вашего ({ $ours }).
drift-ips-restricted-unrecorded = На площадке ключ привязан к IP, которые здесь не записаны.

btn-verify = 🔍 Проверить на площадке
card-last-check = Последняя проверка: { $outcome } · { $time } (код { $code })
audit-verified = проверен на площадке
audit-expiry-from-venue = срок взят с площадки

## B2Trader key management with the session token
broker-create = ⚡ Создать на бирже за меня
broker-sync = 🔄 Сверить с биржей
broker-delete-both = 🗑 Удалить здесь и на бирже
broker-delete-here = Удалить только здесь
broker-token-prompt = Для этого на <code>{ $host }</code> нужен ваш токен сессии (не API-ключ): в веб-приложении брокера откройте инструменты разработчика → Application → Local Storage и скопируйте access token. Пришлите его сюда: я сразу удалю сообщение и использую токен только для этого.
broker-remember-off = 🔐 Запомнить на следующий раз: нет
broker-remember-on = 🔐 Запомнить на следующий раз (зашифрованно): да
broker-token-kept = 🔐 Токен сохранён в зашифрованном виде. Он используется только для управления ключами B2Trader у этого брокера.
broker-token-rejected = ❌ Брокер не принял этот токен сессии: возможно, он истёк. Войдите снова и скопируйте свежий.
broker-unreachable = 📡 { $host } не ответил. Попробуйте позже.
broker-error = ❌ Брокер ответил неожиданно; здесь ничего не изменилось.
broker-created = ⚡ Создан на { $host } ровно с этими настройками; пара ключей сохранена в зашифрованном виде.
broker-sync-result = 🔄 Сверено с { $host }: совпадает ключей: { $matched }.
broker-sync-adopted = ➕ Есть только на бирже, теперь отслеживается здесь: { $name } (пришлите его закрытый ключ, чтобы завершить).
broker-sync-gone = ⚠️ { $name } больше нет на бирже: удалите его здесь, если удалили там.
broker-deleted-both = 🗑 { $name } удалён на бирже и здесь; секрет уничтожен.
broker-deleted-not-found = 🗑 { $name } уже не было на бирже; удалён здесь, секрет уничтожен.
audit-adopted-from-venue = найден на площадке и добавлен
audit-deleted-on-venue = удалён на площадке
broker-refused-create = ❌ Брокер отказался создать ключ (HTTP { $status }). B2Trader не документирует свои ответы об ошибках; чаще всего причина — лимит в 3 ключа на аккаунт: удалите один у брокера и попробуйте снова. Здесь ничего не сохранено.
broker-refused = ❌ Брокер отказал (HTTP { $status }). B2Trader не документирует свои ответы об ошибках, больше сказать нельзя. Здесь ничего не изменено.
broker-delete-refused = ❌ Брокер не удалил { $name } (HTTP { $status }) и всё ещё показывает его в списке. Я оставил ключ здесь вместе с секретом: попробуйте снова или удалите его у брокера сами.
host-private = ❌ Это не публичный адрес в интернете (локальное или внутреннее имя, адрес метаданных облака или порт не 443). Укажите публичный адрес вашего брокера.

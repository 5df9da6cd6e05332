## Commands
cmd-start = Главное меню
cmd-add = Настроить новый API-ключ
cmd-keys = Ваши ключи
cmd-cancel = Отменить текущее действие
cmd-language = Язык
cmd-help = Как бот защищает ваши ключи

## Menu
welcome = 👋 Я помогаю безопасно настраивать торговые API-ключи, храню их в зашифрованном виде и напоминаю о ключах, которые истекают, не используются или могут слишком много.
menu = Что вы хотите сделать?
menu-draft = У вас есть незаконченная настройка ключа. Продолжите её, удалите или выберите другое действие.
help =
    <b>Как я защищаю ваши ключи</b>
    • <b>Добавить ключ</b> проводит по шагам: имя → права → только чтение → список IP → срок действия → активация — по правилам самой площадки, а затем подсказывает, где именно нажимать на площадке.
    • Присланные ключи я сразу удаляю из чата и храню зашифрованными (AES-256-GCM). Вы видите их только в маскированном виде, если не попросите показать на несколько секунд.
    • Минимум прав по умолчанию: «только чтение» выбрано заранее, вывод средств никогда не выбирается сам и всегда сопровождается предупреждением.
    • Если вы пришлёте секрет не туда, я удалю сообщение.

    /add — настроить ключ · /keys — ваши ключи · /cancel — прервать текущий шаг · /language — язык
btn-add = ➕ Добавить ключ
btn-keys = 🔑 Мои ключи
btn-language = 🌐 Язык
btn-help = ❓ Помощь
btn-menu = 🏠 Меню
btn-resume = ▶️ Продолжить: { $draft }
btn-discard = 🗑 Удалить черновик
fallback = Не понял. Воспользуйтесь меню ниже или /help.
nothing-to-cancel = Отменять нечего.
flow-cancelled = Отменено. Ничего не сохранено.
button-outdated = Эта кнопка устарела. Откройте меню заново: /start.
use-keyboard-text = Ответьте, пожалуйста, сообщением.
language-pick = Выберите язык:
language-set = Язык: русский.
draft-exists = У вас есть незаконченная настройка ключа. Сначала продолжите её или удалите.
draft-gone = Этой настройки больше нет. Начните заново: /add.
draft-discarded = Черновик удалён. Ничего не сохранено.

need-text = Здесь нужен текст.
use-buttons = Воспользуйтесь кнопками.

## Setup flow
add-pick-venue = <b>Новый API-ключ</b>
    Для какой площадки?
add-env = <b>{ $venue }</b>: какая среда?
add-host = <b>{ $venue }</b>: у каждого брокера своя биржа B2Trader. Пришлите адрес биржи вашего брокера, например <code>exchange.mybroker.com</code>.
add-name = <b>{ $venue }</b> ({ $env }): пришлите имя ключа (1–64 символа), например <i>Торговый бот</i>. Имена не повторяются в пределах площадки.
name-current = Текущее имя: <b>{ $name }</b>
add-perms = <b>{ $venue }</b>: что разрешено этому ключу? Нажимайте, чтобы переключить. Выбрано только необходимое.
add-ro = <b>{ $venue }</b>: сделать ключ <b>только для чтения</b>? Такой ключ видит балансы и ордера, но ничего не может изменить.
add-ips = <b>{ $venue }</b>: с каких IP-адресов можно пользоваться ключом?
    Пришлите адреса серверов, которые будут его использовать, через запятую, пробел или с новой строки ({ $rules }).
ips-current = Текущий список: { $ips }
add-exp-venue = <b>{ $venue }</b>: когда ключ должен истечь?
add-exp-none = Ключи <b>{ $venue }</b> не истекают. Оставьте без срока или выберите дату, когда я напомню его проверить.
add-exp-date = Пришлите дату напоминания в виде <code>ГГГГ-ММ-ДД</code> или <code>ДД.ММ.ГГГГ</code>.
add-act = <b>{ $venue }</b>: активировать ключ сразу? Если нет, он будет создан неактивным, и его можно включить позже.
edit-pick-step = Какой шаг изменить?

step-env = Среда
step-host = Адрес брокера
step-name = Имя
step-perms = Права
step-ro = Только чтение
step-ips = Список IP
step-exp = Срок действия
step-act = Активация

skip-perms = У ключей { $venue } нет настроек прав.
skip-ro = У { $venue } нет отдельного режима «только чтение».
skip-ips = У { $venue } нет списка разрешённых IP.
skip-act = Ключи { $venue } активны сразу после создания.

btn-back = ⬅️ Назад
btn-cancel = ✖️ Отмена
btn-next = Далее ➡️
btn-confirm = ✅ Подтвердить
btn-edit = ✏️ Изменить
btn-ro-yes = 👁 Да, только чтение
btn-ro-no = Нет
btn-allow-all-ips = 🌍 Разрешить все IP
btn-keep-ips = Оставить { $count ->
    [one] { $count } адрес
    [few] { $count } адреса
   *[other] { $count } адресов
    }
btn-add-ips = 🛡 Лучше добавить IP
btn-any-ip-anyway = Продолжить без списка
btn-activate-yes = ✅ Активировать
btn-activate-no = ⏸ Создать неактивным

env-mainnet = Основная сеть
env-testnet = Тестовая сеть
env-demo = Демо-торговля

host-invalid = Это не похоже на публичный адрес. Пришлите что-то вроде <code>exchange.mybroker.com</code>.
name-empty = Имя пустое. Пришлите от 1 до 64 символов.
name-too-long = Имя длиннее 64 символов. Пришлите покороче.
name-control = В имени есть управляющие или невидимые символы. Пришлите обычный текст.
name-taken = У вас уже есть ключ { $venue } с таким именем. Пришлите другое имя.

perm-required = { $perm } на этой площадке включено всегда.
perm-danger-alert = ⚠️ { $perm } позволяет ключу выводить деньги со счёта. Включайте, только если это действительно нужно, и привяжите ключ к IP-адресам.
perms-none = нет
warn-danger-perms = ⚠️ Может выводить средства: <b>{ $perms }</b>. Утёкший ключ с такими правами может опустошить счёт.
ro-dropped = Только чтение: убрано { $perms }.

ip-rule-v6 = IPv4 и IPv6
ip-rule-v4-only = только IPv4
ip-rule-cidr = можно диапазоны в формате CIDR
ip-rule-max = не больше { $max }
ip-rule-no-max = лимит не опубликован
ip-bad-invalid = ❌ <code>{ $entry }</code> — не IP-адрес.
ip-bad-no-cidr = ❌ <code>{ $entry }</code>: площадка принимает отдельные адреса, не диапазоны.
ip-bad-no-ipv6 = ❌ <code>{ $entry }</code>: площадка принимает только IPv4.
ip-bad-not-public = ❌ <code>{ $entry }</code> — частный или зарезервированный адрес; площадка видит публичный адрес сервера.
ip-bad-more = … и ещё { $count } неверных.
ip-over-limit = { $venue } разрешает не больше { $max } адресов, а вы прислали { $count }.
ip-none-found = В сообщении не нашлось адресов.
ip-accepted = ✅ Сохранено адресов: { $count }.
ip-duplicates = Убрано повторов: { $count }.
ips-any = любой IP ⚠️
warn-any-ip = ⚠️ Этот ключ может торговать или выводить средства, и без списка IP любой, кто его получит, сможет пользоваться им откуда угодно.
warn-ip-required = { $venue } разрешает { $perms } только ключам со списком IP. Добавьте адреса или отключите это право.
no-ip-generic = Привязка ключа к IP ваших серверов делает утёкший ключ бесполезным для чужих.

expiry-never = Никогда
expiry-30d = 30 дней
expiry-90d = 90 дней
expiry-6m = 6 месяцев
expiry-1y = 1 год
expiry-none = Без срока
expiry-remind = 📅 Напомнить в дату
expiry-remind-on = без срока; напоминание { $date }
expiry-on = истекает { $date }
expiry-venue-auto = ⏳ { $venue } отключает ключи без списка IP через { $days } дней, поэтому я буду считать, что ключ истекает тогда.
date-invalid = Это не дата в будущем (в пределах десяти лет). Используйте <code>ГГГГ-ММ-ДД</code> или <code>ДД.ММ.ГГГГ</code>.

answer-yes = да
answer-no = нет
answer-unset = нет ответа
summary-title = <b>Проверьте новый ключ</b>
summary-venue = Площадка: <b>{ $venue }</b> ({ $env })
summary-host = Брокер: <code>{ $host }</code>
summary-name = Имя: <b>{ $name }</b>
summary-perms = Права: { $perms }
summary-ro = Только чтение: { $answer }
summary-ips = Список IP: { $ips }
summary-expiry = Срок: { $expiry }
summary-activate = Активировать сразу: { $answer }

## Creating the key on the venue and pasting it
create-intro = ✅ Сохранено. Теперь создайте именно такой ключ на <b>{ $venue }</b>:
rotate-intro = 🔄 Замена: создайте на <b>{ $venue }</b> новый ключ (или обновите его) с теми же настройками и пришлите новые данные. Текущие остаются сохранёнными, пока вы не подтвердите, что новые работают.
paste-field = 📋 Пришлите <b>{ $field }</b> ({ $n }/{ $total }). Я сразу удалю сообщение и сохраню значение зашифрованным.
paste-pem-hint = Можно прислать текст PEM или файл <code>.pem</code>.
paste-field-ok = ✅ { $field }: сохранено.
paste-bad-format = ❌ Это не похоже на { $field } { $venue }: { $expected } Сообщение я удалил; пришлите ещё раз.
paste-need-text = Пришлите значение текстом.
paste-need-text-or-pem = Пришлите значение текстом или небольшим файлом .pem.
paste-undeleted = ⚠️ Не получилось удалить ваше сообщение с ключом. Удалите его, пожалуйста, сами.
paste-cancelled = Ввод отменён. Ничего из присланного не сохранено.
credentials-saved = 🔐 Данные ключа сохранены зашифрованными. Сообщения с ними удалены.
rotate-saved = 🔄 Новые данные сохранены. Прежние хранятся, пока вы не подтвердите, что новые работают.

field-token = API-токен
field-access_key = Access key
field-secret = Secret key
field-api_key = API key
field-key_id = Key ID
field-private_key = Закрытый ключ
field-public_key = Публичный ключ
field-passphrase = Парольная фраза

## Key list and card
keys-empty = У вас пока нет ключей.
keys-title = <b>Ваши ключи</b> ({ $count })
key-not-found = Такой ключ не найден.
card-venue = { $venue } · { $env }
card-key = Ключ: <code>{ $masked }</code>
card-no-credentials = ещё не прислан
card-status = Статус: { $status }
card-times = Создан { $created }
    Активирован { $activated }
    Использован { $used }
    Проверка { $verified }
card-no-api = ℹ️ У { $venue } нет публичного API: я отслеживаю ключ, но не могу проверить его онлайн.
card-rotation-pending = 🔄 <b>Идёт замена.</b> Новые данные работают? Подтвердите, чтобы уничтожить прежние, или откатите замену.
time-never = никогда
status-pending = ⏳ ждёт данных ключа
status-active = 🟢 активен
status-disabled = ⏸ неактивен
status-deleted = 🗑 удалён

btn-paste = 📋 Прислать данные
btn-delete = 🗑 Удалить
btn-deactivate = ⏸ Отключить
btn-activate = ▶️ Включить
btn-rotation-ok = ✅ Новые работают
btn-rotation-back = ↩️ Откатить
btn-rename = ✏️ Переименовать
btn-expiry = ⏰ Срок
btn-mark-used = ✔️ Ещё нужен
btn-rotate = 🔄 Заменить
btn-reveal = 👁 Показать
btn-history = 📜 История
btn-key-list = 🔑 Все ключи
btn-yes-sure = Да, уверен
btn-no = Нет

rename-prompt = Пришлите новое имя для <b>{ $name }</b>.
renamed = ✅ Переименовано.
edit-expiry = Срок ключа <b>{ $name }</b>: { $current }. Выберите новый.
expiry-saved = ✅ Срок сохранён.
marked-used = ✅ Отмечено: ключ ещё используется.
venue-toggle-hint = Не забудьте сделать то же на { $venue }: здесь меняются только мои записи.
rotation-confirmed = ✅ Прежние данные уничтожены.
rotation-rolled-back = ↩️ Откат: прежние данные снова текущие, новые уничтожены.
reveal-confirm = Показать секрет в этом чате на { $seconds } с? Сообщение нельзя переслать или сохранить, и оно удалится само.
reveal-title = 👁 <b>{ $name }</b> — это сообщение удалится через { $seconds } с.
delete-confirm = Удалить <b>{ $name }</b> ({ $venue })? Сохранённый секрет будет уничтожен навсегда. Удалите ключ и на { $venue }.
deleted = 🗑 <b>{ $name }</b> удалён, секрет уничтожен. Не забудьте удалить его и на { $venue }.
history-title = <b>История { $name }</b>

limit-keys = { $venue } разрешает не больше { $limit } ключей. Сначала удалите ненужный.
limit-active = { $venue } разрешает не больше { $limit } активных ключей. Сначала отключите один.
limit-per-environment = У { $venue } один токен на среду, и он у вас уже есть. Замените его из карточки ключа.

audit-created = настроен
audit-credentials-saved = данные сохранены
audit-rotated = заменён
audit-revealed = секрет показан
audit-renamed = переименован
audit-activated = включён
audit-deactivated = отключён
audit-expiry-changed = изменён срок
audit-marked-used = отмечен как используемый
audit-rotation-confirmed = замена подтверждена, старые данные уничтожены
audit-rotation-rolled-back = замена откачена
audit-deleted = удалён

## xRocket Exchange
venue-xrocket-warn-full-access = Токен xRocket Exchange даёт полный доступ (торговля, переводы, вывод) и не ограничивается: ни правами, ни IP, ни сроком. Держите его только там, где он действительно нужен.
venue-xrocket-warn-renew = «Обновить» в xRocket выпускает новый токен и сразу отключает старый: бот, который им пользуется, остановится.
venue-xrocket-skip-perms = Токены xRocket дают полный доступ, ограничить их нельзя.
venue-xrocket-skip-ips = Токены xRocket нельзя привязать к IP-адресам.
venue-xrocket-steps-mainnet =
    1. Откройте @xRocket в Telegram.
    2. Меню → Настройки → Настройки биржи → API-токен.
    3. Скопируйте токен. (Кнопка «Обновить» сразу отключает старый токен.)
venue-xrocket-steps-testnet =
    1. Откройте @xrocket_testnet_bot в Telegram (в инструкции xRocket по обновлению токена для тестовой сети назван и @rcktPrivateBot).
    2. Меню → Настройки → Настройки биржи → API-токен.
    3. Скопируйте токен. (Кнопка «Обновить» сразу отключает старый токен.)
format-xrocket-token = ожидается длинный токен из букв, цифр и символов . _ -.

## xRocket Pay
venue-xrocket-pay-warn-not-exchange = Токены приложений Rocket Pay — не токены биржи: одно не заменяет другое.
venue-xrocket-pay-skip-perms = У токенов приложений Rocket Pay нет настроек прав.
venue-xrocket-pay-steps-mainnet =
    1. Откройте @xRocket в Telegram.
    2. Rocket Pay → Создать приложение (или откройте своё).
    3. Откройте «API-токен» и скопируйте его.
venue-xrocket-pay-steps-testnet =
    1. Откройте @xrocket_testnet_bot в Telegram.
    2. Rocket Pay → Создать приложение (или откройте своё).
    3. Откройте «API-токен» и скопируйте его.
format-xrocket-pay-token = ожидается длинный токен из букв, цифр и символов . _ -.

## XT.com
venue-xt-perm-query = просмотр балансов, ордеров и истории (включено всегда).
venue-xt-perm-trade = выставление и отмена спотовых ордеров.
venue-xt-perm-future = торговля фьючерсами.
venue-xt-perm-lever-loan = заём на марже.
venue-xt-perm-transfer = переводы между счетами.
venue-xt-perm-withdraw = вывод средств с XT.
venue-xt-warn-apply = XT открывает торговлю через API только по заявке (KYC, проверка 3–5 рабочих дней).
venue-xt-warn-once = XT показывает «Private Key» только один раз: сразу вставьте его сюда.
venue-xt-no-ip = Без белого списка IP XT принимает ключ с любого адреса.
venue-xt-skip-ro = У XT нет режима «только чтение»: ключ только с QUERY и есть ключ для чтения.
venue-xt-ip-rules = «один IP или сегмент IP», через запятую (поддержку IPv6 и CIDR XT не указывает)
venue-xt-steps =
    1. Войдите на xt.com → User Center → API Management → Create API. (Для субаккаунта следуйте инструкции XT «How to Create an API for Sub-Accounts?»: у субаккаунта свои ключи, здесь они проверяются так же.)
    2. «Alias Name»: <b>{ $name }</b>.
    3. «Whitelist IP» (необязательно): <b>{ $ips }</b> — «один IP или сегмент IP», через запятую.
    4. Пройдите проверку безопасности и скопируйте «Public Key» и «Private Key»: они показываются только ОДИН раз.
    5. Новый ключ умеет только читать. Для <b>{ $perms }</b> нажмите «Modify» у ключа, отметьте эти права и отправьте на проверку («Submit for review»).
format-xt-access-key = ожидается UUID вида <code>3976eb88-76d0-4f6e-a6b2-a57980770085</code>.
format-xt-secret = ожидается 40 шестнадцатеричных символов.

## Wallet bot with API Access
venue-walletbot-perm-balance = просмотр балансов.
venue-walletbot-perm-deposit = «Deposit» (руководство кошелька называет это право, но не описывает его).
venue-walletbot-perm-exchange = обмен валют.
venue-walletbot-perm-transfers = переводы между аккаунтами внутри бота.
venue-walletbot-perm-withdrawal = вывод средств на внешние адреса.
venue-walletbot-warn-2fa = Перед выдачей API-ключей кошелёк попросит включить двухфакторную аутентификацию.
venue-walletbot-warn-frozen = После создания ключ там можно только включить, отключить или удалить; остальные настройки не меняются.
venue-walletbot-warn-no-api = У этого кошелька нет публичного API для проверки ключей: я буду отслеживать ключ, но проверить его онлайн не смогу.
venue-walletbot-no-ip = С «Разрешить все IP» ключ работает откуда угодно.
venue-walletbot-steps =
    1. Откройте кошелёк → Дополнительные функции → Доступ к API (если попросит, включите 2FA). Если кнопки «API access» нет, обратитесь в техподдержку кошелька.
    2. Создать новый API-ключ. Имя: <b>{ $name }</b>.
    3. Права: <b>{ $perms }</b>.
    4. Только чтение: <b>{ $ro }</b>.
    5. IP-адреса: <b>{ $ips }</b>.
    6. Активировать сейчас: <b>{ $act }</b>. Подтвердите. (Ключ, активируемый позже, включается в разделе «API keys».)
    7. Ключ придёт сообщением в чат кошелька: скопируйте его сюда, а там сообщение удалите.
format-walletbot-api-key = ожидается длинный токен из букв, цифр и символов . _ -.

## Roxom
venue-roxom-warn-beta = API Roxom в бета-версии и открывается аккаунтам постепенно: страницы API у вас может ещё не быть.
venue-roxom-warn-once = Roxom показывает закрытый ключ только один раз.
venue-roxom-unused-hint = На странице API Roxom у каждого ключа есть дата «last used»: посмотрите её там и скажите, используется ли ключ.
venue-roxom-skip-perms = Roxom не описывает настроек прав для API-ключей.
venue-roxom-skip-ips = Roxom не описывает списка IP для API-ключей.
venue-roxom-steps =
    1. Войдите на roxom.com → Профиль → API.
    2. Нажмите «+ Generate API Key». Имя: <b>{ $name }</b>.
    3. Срок действия: <b>{ $expiry }</b>. Нажмите «Generate».
    4. Подтвердите личность (passkey или аутентификатор + код из письма).
    5. Скопируйте Key ID и сохраните закрытый ключ — он показывается один раз.
format-roxom-key-id = ожидается ID вида <code>rxk_key_…</code>.
format-roxom-private-key = ожидается незашифрованный закрытый ключ RSA в PEM (<code>-----BEGIN PRIVATE KEY-----</code>).

## B2Trader
venue-b2trader-perm-info = просмотр рыночных данных, балансов и ордеров.
venue-b2trader-perm-trade = выставление и отмена ордеров.
venue-b2trader-warn-host = У каждого брокера своя биржа B2Trader; ключи одного брокера не работают у другого.
venue-b2trader-no-ip = Без белого списка IP ключ работает с любого адреса.
venue-b2trader-skip-ro = У B2Trader нет режима «только чтение»: ключ только с isInfo и есть ключ для чтения.
venue-b2trader-steps =
    1. Войдите на биржу брокера: <code>{ $host }</code>.
    2. Профиль → API-ключи → Создать ключ. Имя: <b>{ $name }</b>.
    3. Права: <b>{ $perms }</b>.
    4. Белый список IP: <b>{ $ips }</b>.
    5. Скопируйте публичный и закрытый ключ — закрытый показывается один раз. У брокера можно не больше 3 ключей.
format-b2trader-public-key = ожидается UUID.
format-b2trader-private-key = ожидается UUID.

## Binance
venue-binance-perm-reading = просмотр балансов, ордеров и истории (включено всегда).
venue-binance-perm-spot = спотовые и маржинальные ордера.
venue-binance-perm-margin = заём, погашение и переводы на марже.
venue-binance-perm-futures = торговля фьючерсами.
venue-binance-perm-options = торговля европейскими (ванильными) опционами.
venue-binance-perm-portfolio = торговля на счёте портфельной маржи.
venue-binance-perm-fix-api = ордера через FIX API.
venue-binance-perm-sub-transfer = мгновенные переводы между основным аккаунтом и субаккаунтами.
venue-binance-perm-transfer = переводы между кошельками Binance.
venue-binance-perm-withdraw = вывод средств с Binance (нужен список IP).
venue-binance-warn-hmac = Binance поддерживает ключи HMAC, RSA и Ed25519. Для HMAC вставьте Secret Key; для RSA или Ed25519 — PEM закрытого ключа, который вы сгенерировали (в Binance уходит только открытая часть).
venue-binance-no-ip = Binance через некоторое время снимает «Enable Spot & Margin Trading» с ключей без ограничения по IP, а вывод разрешает только со списком IP. Ключ сообщает дату (tradingAuthorityExpirationTime): я возьму её при первой проверке и напомню заранее.
venue-binance-expiry-on = торговля спотом и маржой снимается { $date }: нет ограничения по IP
venue-binance-skip-ro = У Binance нет отдельного режима «только чтение»: ключ только с «Enable Reading» и есть ключ для чтения.
venue-binance-steps-mainnet =
    1. Войдите на binance.com → Профиль → API Management.
    2. Create API → System generated. Метка: <b>{ $name }</b>. Пройдите проверку.
    3. Edit restrictions: <b>{ $perms }</b>.
    4. Доступ по IP: <b>{ $ips }</b> («Restrict access to trusted IPs only», если есть список).
    5. Сохраните и скопируйте API Key и Secret Key — секрет показывается один раз.
venue-binance-steps-testnet =
    1. Откройте testnet.binance.vision и войдите через GitHub.
    2. Generate HMAC-SHA-256 Key. Описание: <b>{ $name }</b>.
    3. Скопируйте API Key и Secret Key — секрет показывается один раз.
format-binance-api-key = ожидается 64 буквы и цифры.
format-binance-secret = ожидается 64 буквы и цифры.

## Bybit
venue-bybit-perm-read = просмотр данных счёта (включено всегда).
venue-bybit-perm-contract = ордера и позиции по деривативам.
venue-bybit-perm-spot = спотовая торговля.
venue-bybit-perm-options = торговля USDC-контрактами и опционами.
venue-bybit-perm-exchange = конвертация монет.
venue-bybit-perm-transfer = переводы между счетами и субаккаунтами.
venue-bybit-perm-withdraw = вывод средств с Bybit.
venue-bybit-warn-password = Bybit: ключ без привязки к IP перестаёт работать через 7 дней после смены пароля аккаунта.
venue-bybit-no-ip = Bybit: ключ без привязки к IP перестаёт работать через 90 дней.
venue-bybit-expiry-on = отключится { $date }: нет привязки к IP
venue-bybit-steps-mainnet =
    1. Войдите на bybit.com → Аккаунт → API → Create New Key → System-generated API Keys.
    2. API Transaction. Имя: <b>{ $name }</b>.
    3. API Key Permissions: только чтение — <b>{ $ro }</b>.
    4. IP: <b>{ $ips }</b> (привязка к IP не даёт ключу истечь).
    5. Права: <b>{ $perms }</b>.
    6. Submit, пройдите 2FA и скопируйте API Key и Secret — секрет показывается один раз.
venue-bybit-steps-testnet =
    1. Войдите на testnet.bybit.com → Аккаунт → API → Create New Key → System-generated API Keys.
    2. API Transaction. Имя: <b>{ $name }</b>.
    3. API Key Permissions: только чтение — <b>{ $ro }</b>.
    4. IP: <b>{ $ips }</b>.
    5. Права: <b>{ $perms }</b>.
    6. Submit и скопируйте API Key и Secret — секрет показывается один раз.
venue-bybit-steps-demo =
    1. Войдите на bybit.com и переключитесь в Demo Trading (меню аккаунта).
    2. Account → API → Create New Key → System-generated API Keys. Имя: <b>{ $name }</b>.
    3. Только чтение: <b>{ $ro }</b>. IP: <b>{ $ips }</b>. Права: <b>{ $perms }</b>.
    4. Подтвердите и скопируйте API Key и Secret — демо-ключи работают только в демо-торговле.
venue-bybit-steps-regional =
    1. Войдите на свой региональный сайт Bybit (<b>{ $env }</b>) → Account → API → Create New Key → System-generated API Keys.
    2. API Transaction. Имя: <b>{ $name }</b>.
    3. API Key Permissions: только чтение <b>{ $ro }</b>.
    4. IP: <b>{ $ips }</b> (привяжите IP, чтобы ключ не истёк).
    5. Права: <b>{ $perms }</b>.
    6. Подтвердите, пройдите 2FA и скопируйте API Key и Secret — ключи регионального сайта работают только там.
format-bybit-api-key = ожидаются буквы и цифры (обычно 18).
format-bybit-secret = ожидаются буквы и цифры (обычно 36).

## OKX
venue-okx-perm-read = просмотр данных счёта (включено всегда).
venue-okx-perm-trade = выставление и отмена ордеров.
venue-okx-perm-withdraw = вывод средств с OKX.
venue-okx-warn-passphrase = OKX просит придумать парольную фразу для ключа и больше её не показывает: её тоже нужно будет прислать сюда.
venue-okx-no-ip = По сообщениям, OKX удаляет ключи с правами торговли и вывода без списка IP после 14 дней без использования.
venue-okx-skip-ro = У OKX нет отдельного режима «только чтение»: ключ только с «Read» и есть ключ для чтения.
venue-okx-steps-mainnet =
    1. Войдите на okx.com → Профиль → API → Create API key.
    2. Назначение: API trading. Имя: <b>{ $name }</b>.
    3. Придумайте парольную фразу и сохраните её: OKX её больше не покажет.
    4. Права: <b>{ $perms }</b>.
    5. IP-адреса: <b>{ $ips }</b>.
    6. Подтвердите и скопируйте API key и Secret key.
venue-okx-steps-demo =
    1. Войдите на okx.com → Trade → Demo trading → Personal center → Demo trading API → Create API key.
    2. Имя: <b>{ $name }</b>. Придумайте парольную фразу и сохраните её.
    3. Права: <b>{ $perms }</b>. IP-адреса: <b>{ $ips }</b>.
    4. Подтвердите и скопируйте API key и Secret key.
venue-okx-steps-regional =
    1. Войдите на свою платформу OKX (<b>{ $env }</b>: my.okx.com в ЕЭЗ, app.okx.com в США) → Profile → API → Create API key.
    2. Purpose: API trading. Имя: <b>{ $name }</b>.
    3. Придумайте passphrase и сохраните: OKX его больше не покажет.
    4. Права: <b>{ $perms }</b>.
    5. IP-адреса: <b>{ $ips }</b>.
    6. Подтвердите и скопируйте API key и Secret key — ключи не переходят между платформами OKX.
format-okx-api-key = ожидается UUID.
format-okx-secret = ожидается 32 шестнадцатеричных символа.
format-okx-passphrase = ожидается от 1 до 64 печатных символов без пробелов.

# Что сделать на площадке с ключом, который бот больше не хранит (после ротации или удаления).
venue-xrocket-revoke = в @xRocket (тестовая сеть: @xrocket_testnet_bot) откройте Menu › Settings › Exchange settings › API token и выберите «Renew token»: удалить токен в xRocket нельзя, а новый токен сразу отключает старый.
venue-xrocket-pay-revoke = в @xRocket откройте своё приложение Rocket Pay и выпустите новый API-токен: старый перестанет работать.
venue-xt-revoke = на XT.com откройте User Center › API Management и нажмите «Delete» у старого ключа.
venue-walletbot-revoke = в кошельке откройте раздел «API keys» и отключите или удалите старый ключ.
venue-roxom-revoke = на Roxom откройте профиль › API и нажмите «Disable» у старого ключа (в Roxom есть только Rename и Disable, удаления нет).
venue-b2trader-revoke = удалите старый ключ у брокера (в карточке ключа здесь: «Удалить здесь и у брокера»).
venue-binance-revoke = на Binance откройте API Management и нажмите «Delete» у старого ключа.
venue-bybit-revoke = на Bybit откройте управление API и нажмите «Delete» у старого ключа.
venue-okx-revoke = на OKX откройте API keys и нажмите «Delete» у старого ключа.
venue-xrocket-fix = У токенов xRocket нет прав и списка IP: единственное действие — «Renew token» (Menu › Settings › Exchange settings › API token), он заменяет токен.
venue-xrocket-pay-fix = У токенов приложений Rocket Pay нет прав и списка IP.
venue-xt-fix = На XT.com откройте User Center › API Management, нажмите «Modify» у ключа, выставьте права { $perms } и whitelist IP { $ips } («один IP или сегмент IP», через запятую), затем отправьте на проверку.
venue-walletbot-fix = Кошелёк-бот не позволяет менять ключ после создания: в разделе «API keys» деактивируйте и удалите этот ключ, затем создайте новый с { $perms } и { $ips }.
venue-roxom-fix = У ключей Roxom нет прав и списка IP: доступны только Rename и Disable.
venue-b2trader-fix = Ключи B2Trader нельзя изменить: удалите этот ключ у брокера и создайте новый с { $perms } и списком IP { $ips } (из карточки: «Удалить здесь и у брокера», затем «Создать у брокера»).
venue-binance-fix = На Binance откройте <a href="https://www.binance.com/en/my/settings/api-management">API Management</a>, нажмите «Edit restrictions» у ключа, выставьте { $perms } и «Restrict access to trusted IPs only» — { $ips }, затем сохраните.
venue-bybit-fix = На Bybit откройте <a href="https://www.bybit.com/app/user/api-management">API management</a>, нажмите «Edit» у ключа, выставьте права { $perms } и список IP { $ips }, затем подтвердите.
venue-okx-fix = На OKX откройте <a href="https://www.okx.com/account/my-api">API keys</a>, нажмите «Edit» у ключа, выставьте права { $perms } и список IP { $ips }, затем подтвердите.

## Kraken
venue-kraken-perm-funds = просмотр балансов (нужен для проверки ботом).
venue-kraken-perm-open = просмотр открытых ордеров и сделок.
venue-kraken-perm-closed = просмотр закрытых ордеров и сделок.
venue-kraken-perm-ledger = просмотр записей журнала.
venue-kraken-perm-export = выгрузка данных.
venue-kraken-perm-orders = создание и изменение ордеров.
venue-kraken-perm-cancel = отмена и закрытие ордеров.
venue-kraken-perm-deposit = просмотр способов и адресов пополнения.
venue-kraken-perm-withdraw = вывод средств с Kraken.
venue-kraken-warn-nonce = Kraken требует, чтобы nonce каждого запроса возрастал: не используйте один ключ в двух программах.
venue-kraken-no-ip = Без ограничения по IP Kraken принимает этот ключ с любого адреса.
venue-kraken-skip-ro = У Kraken нет переключателя «только чтение»: ключ только с правами на просмотр — только для чтения.
venue-kraken-steps =
    1. Войдите на kraken.com → Settings → API → Create API key.
    2. Описание ключа: <b>{ $name }</b>.
    3. Права ключа: <b>{ $perms }</b>.
    4. Ограничение по IP: <b>{ $ips }</b>.
    5. Создайте ключ и скопируйте API key и private key — закрытый ключ показывается один раз.
venue-kraken-revoke = на Kraken откройте Settings › API и нажмите «Delete» у старого ключа.
venue-kraken-fix = Kraken не сообщает настройки ключа через API, поэтому я не вижу различий: на kraken.com откройте Settings › API и проверьте права ключа ({ $perms }) и ограничение по IP ({ $ips }).
format-kraken-api-key = ожидается API key: около 56 символов base64.
format-kraken-private-key = ожидается private key: 88 символов base64, оканчивается на ==.

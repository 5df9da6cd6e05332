"""Secret detection over chat text: rules with validators and context.

Shape alone is not enough for many credentials (a UUID is an XT access key *and* an order id; 64 hex
characters are a private key *and* a transaction hash), so ambiguous shapes count only with
secret-like words just before them and no harmless ones (hash, address, order…) closer still.
Unambiguous shapes — PEM blocks, provider tokens with fixed prefixes, checksummed wallet keys, BIP-39
phrases — count on their own. Every rule is a compiled regex behind a cheap substring pre-check, so a
500-character message costs a few passes over it in C.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import re
import string
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import re2

from bot.guard import validators as v

# What each finding is, in words a user understands (a locale id suffix: leak-kind-<group>).
KIND_GROUPS = {
    "seed_phrase": "seed", "wif_private_key": "wallet-key", "extended_private_key": "wallet-key",
    "private_key_hex": "wallet-key", "private_key_pem": "private-key", "private_key_putty": "private-key",
    "private_key_pem_base64": "private-key", "age_secret_key": "private-key", "venue_secret": "exchange",
    "api_secret": "exchange", "own_secret": "own", "password": "password", "cli_password": "password",
    "password_in_url": "password", "password_hash": "password", "basic_auth_header": "password",
    "slack_webhook": "webhook", "discord_webhook": "webhook", "teams_webhook": "webhook",
    "wallet_keypair": "wallet-key", "telegram_session": "session", "backup_codes": "password",
    "totp_secret": "password",
}


def kind_group(kind: str) -> str:
    return KIND_GROUPS.get(kind, "token")


@dataclass(frozen=True, slots=True)
class Finding:
    kind: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Rule:
    kind: str
    pattern: re.Pattern[str]
    # What the lower-cased text must contain for the rule to run: literals, or RE2 patterns written "re:…".
    hint: tuple[str, ...] = ()
    check: Callable[[str], bool] | None = None
    group: int = 0


def _rx(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(pattern, flags)


# `-p 2222`, `-p 8080:80`, `-p 127.0.0.1:5432`: ports, pids and mappings after -p are not passwords.
_PORTISH = _rx(r"[\d.:/\-]+")
# Keys published in the Hardhat and Anvil docs for local test chains (accounts #0–#5): known to everyone.
PUBLIC_DEV_KEYS = frozenset({
    "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
    "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
    "5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
    "7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
    "47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
    "8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
})
# WalletConnect pairing URIs carry a topic and a one-time symmetric key meant to be shared (as a QR code).
_HARMLESS_SPANS = _rx(r"\bwc:[0-9a-f]{64}@2\?[^\s\"'<>]{0,512}")


# Shapes with a literal the text must contain (checked on the lower-cased text before any regex runs).
_PREFIXED: tuple[_Rule, ...] = (
    _Rule("private_key_pem", _rx(
        r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----"
        r"(?:(?:(?!-----BEGIN )[\s\S]){0,16384}?-----END [A-Z ]*PRIVATE KEY(?: BLOCK)?-----"
        r"|[A-Za-z0-9+/=\s:,\-]{40,})"),  # unterminated: a body, not a header alone
          ("-----begin",)),
    _Rule("private_key_putty", _rx(
        r"PuTTY-User-Key-File-\d: (?:(?!PuTTY-User-Key-File-)[\s\S]){0,4000}?Private-Lines: \d+[A-Za-z0-9+/=\s]+"),
          ("putty-user-key-file",)),
    _Rule("telegram_bot_token", _rx(r"(?<![\w:])\d{6,12}:AA[A-Za-z0-9_-]{30,40}(?![\w-])"), (":aa",)),
    _Rule("jwt", _rx(r"(?<![\w-])eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}(?:\.[A-Za-z0-9_-]*)?"), ("eyj",),
          check=v.is_jwt),
    _Rule("teams_webhook", _rx(r"https://[\w.-]*(?:outlook\.office|webhook\.office)\.com/webhook(?:b2)?/[\w@/-]{40,}"),
          ("office.com/webhook",)),
    _Rule("github_token", _rx(r"(?<!\w)(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})"),
          ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_")),
    _Rule("gitlab_token", _rx(
        r"(?<![\w-])(?:gl(?:pat|dt|rt|cbt|imt|agent|soat|ft|ffct)-[A-Za-z0-9_-]{20}|glptt-[0-9a-f]{40}|"
        r"gloas-[A-Za-z0-9_-]{64}|GR1348941[A-Za-z0-9_-]{20})(?![\w-])"),
          ("glpat-", "gldt-", "glptt-", "glrt-", "glcbt-", "gloas-", "glimt-", "glagent-", "glsoat-", "glft-",
           "glffct-", "gr1348941")),
    _Rule("slack_token", _rx(r"(?<!\w)xox[abposre]-[A-Za-z0-9-]{10,}"), ("xox",)),
    _Rule("slack_webhook", _rx(r"https://hooks\.slack\.com/(?:services|workflows)/[A-Za-z0-9/_-]{20,}"),
          ("hooks.slack.com",)),
    _Rule("stripe_key", _rx(r"(?<!\w)(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}"), ("k_live_", "k_test_")),
    _Rule("google_api_key", _rx(r"(?<![\w-])AIza[0-9A-Za-z_-]{35}"), ("aiza",)),
    _Rule("google_oauth_secret", _rx(r"(?<!\w)GOCSPX-[A-Za-z0-9_-]{28}"), ("gocspx-",)),
    _Rule("openai_key", _rx(r"(?<![\w-])sk-(?:proj-|ant-(?:api\d\d-)?|svcacct-|admin-)?[A-Za-z0-9_-]{20,}"), ("sk-",),
          check=lambda t: v.char_classes(t) >= 2),
    _Rule("sendgrid_key", _rx(r"(?<!\w)SG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{16,64}"), ("sg.",)),
    _Rule("discord_webhook", _rx(r"https://(?:\w+\.)?discord(?:app)?\.com/api/webhooks/\d+/[\w-]{30,}"),
          ("/api/webhooks/",)),
    _Rule("npm_token", _rx(r"(?<!\w)npm_[A-Za-z0-9]{36}"), ("npm_",)),
    _Rule("pypi_token", _rx(r"(?<!\w)pypi-AgE[A-Za-z0-9_-]{82,}"), ("pypi-",)),
    _Rule("mailchimp_key", _rx(r"(?<![0-9a-f])[0-9a-f]{32}-us\d{1,2}(?!\w)"), ("-us",)),
    _Rule("shopify_token", _rx(r"(?<!\w)shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}"), ("shpat_", "shpca_", "shppa_", "shpss_")),
    _Rule("square_token", _rx(r"(?<!\w)(?:sq0atp|sq0csp)-[A-Za-z0-9_-]{22,60}"), ("sq0",)),
    _Rule("age_secret_key", _rx(r"AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}"), ("age-secret-key-1",)),
    _Rule("password_in_url", _rx(r"[a-z][a-z0-9+.-]{1,20}://[^\s:/@\"'<>]{1,64}:([^\s/@\"'<>]{3,128})@[\w.-]+"),
          (r"re:://[^\s:/@\"'<>]{1,64}:[^\s/@\"'<>]{3,128}@",), check=lambda t: "@" in t and not re.search(
              r"(?i):(?:\*+|x+|password|pass|pwd|\$\{?\w+\}?|<\w+>|%s)@", t)),
    _Rule("password_hash", _rx(
        r"\$(?:1|2[aby]?|5|6|7|8|9|y|gy|argon2id?|scrypt|pbkdf2(?:-sha\d+)?)\$[^\s$]{1,60}\$[./A-Za-z0-9+=$,]{16,}|"
        r"\$krb5(?:asrep|tgs)\$\d+\$[^\s$]{1,200}\$[0-9a-f]{32,}"),
          ("$1$", "$2", "$5$", "$6$", "$7$", "$8$", "$9$", "$argon2", "$y$", "$gy$", "$scrypt", "$pbkdf2", "$krb5")),
    _Rule("basic_auth_header", _rx(r"(?i)\bbasic\s+([A-Za-z0-9+/]{8,}={0,2})"), ("basic",),
          check=v.is_basic_credentials, group=1),
    _Rule("private_key_pem_base64", _rx(r"LS0tLS1CRUdJTi[A-Za-z0-9+/=]{40,}"), ("ls0tls1crudjti",),
          check=v.is_base64_private_key),
    _Rule("grafana_key", _rx(r"(?<![\w=-])(?:eyJrIjoi[A-Za-z0-9+/=_-]{40,}|glsa_[A-Za-z0-9]{32}_[0-9a-f]{8}|"
                             r"glc_[A-Za-z0-9+/]{32,}={0,2})"), ("eyjrijoi", "glsa_", "glc_")),
    _Rule("provider_token", _rx(
        r"(?<![\w.-])(?:aio_[A-Za-z0-9]{28}|odt_[A-Za-z0-9]{32,}|dckr_pat_[A-Za-z0-9_-]{27}|tvly-[A-Za-z0-9]{32}|"
        r"dapi[0-9a-f]{32}(?:-\d)?|dp\.(?:ct|pt|st|sa|scim|audit)\.[A-Za-z0-9_.-]{40,}|rubygems_[0-9a-f]{48}|"
        r"jina_[A-Za-z0-9]{60,}|live_\d{6,12}_[A-Za-z0-9]{30}|oy2[a-z0-9]{43}|NR(?:AK|AA|II|IQ|JS|RA|SP)-[A-Za-z0-9_-]{19,}|"
        r"[A-Za-z0-9]{36}NRAL|hf_[A-Za-z]{34}|pat[A-Za-z0-9]{14}\.[0-9a-f]{64}|key-[0-9a-zA-Z]{32}|"
        r"xapp-\d-[A-Z0-9]+-\d+-[a-z0-9]{64}|dop_v1_[a-f0-9]{64}|lin_api_[A-Za-z0-9]{40}|"
        r"00D[A-Za-z0-9]{12,15}![A-Za-z0-9._]{80,})(?![\w-])"),
          # Short prefixes ("nr", "pat", "00d") are everywhere in prose and hex: their hints ask for the shape.
          ("aio_", "odt_", "dckr_pat_", "tvly-", r"re:dapi[0-9a-f]{32}", r"re:dp\.[a-z]+\.", "rubygems_", "jina_",
           r"re:live_\d{6}", r"re:oy2[a-z0-9]{43}", r"re:nr(?:ak|aa|ii|iq|js|ra|sp)-", "nral", "hf_",
           r"re:pat[a-z0-9]{14}\.", r"re:key-[a-z0-9]{32}", "xapp-", "dop_v1_", "lin_api_", r"re:00d[a-z0-9]{12}")),
    _Rule("cli_password", _rx(
        r"(?:^|\s)(?:-(?:p|-?password|Password|pass)[\s=]+|-u\s+[^\s:]+:)[\"']?([^\s\"']{4,64})"),
          ("-p", "-u "), check=lambda t: not t.startswith(("-", "$", "%")) and not t.isalpha()
          and _PORTISH.fullmatch(t) is None, group=1),
    _Rule("bearer_token", _rx(r"(?i)\bbearer[:\s]+([A-Za-z0-9._~+/-]{8,}=*)"), ("bearer",),
          check=lambda t: v.char_classes(t) >= 2, group=1),
)

_PREFIXED += (
    # A 32-byte key handed to a wallet constructor in code (ethers, web3.py, viem, solana-web3).
    _Rule("private_key_hex", _rx(
        r"(?i)(?:from_?key|fromprivatekey|privatekeytoaccount|new\s+(?:ethers\.)?wallet|wallet\.from\w*|"
        r"account\.from_key|signer|private_?key)\s*\(\s*[\"'`](?:0x)?([0-9a-f]{64})[\"'`]"),
          ("key(", "wallet(", "account(", "signer("), group=1),
    # RPC and data-API URLs whose path or query carries the account's key.
    _Rule("provider_token", _rx(
        r"(?i)https?://[\w.-]*(?:infura\.io/v3|alchemy(?:api)?\.(?:com|io)/v2|quiknode\.pro|"
        r"g\.alchemy\.com/v2|ankr\.com/[\w-]+|getblock\.io/[\w-]+|chainstack\.com)/([A-Za-z0-9_-]{24,64})"),
          ("infura.io", "alchemy", "quiknode.pro", "ankr.com", "getblock.io", "chainstack.com"), group=1),
    # A Solana key pair as the 64-number JSON array `solana-keygen` writes (id.json).
    _Rule("wallet_keypair", _rx(r"\[\s*(?:\d{1,3}\s*,\s*){63}\d{1,3}\s*\]"), (r"re:\[\s*\d{1,3}\s*,\s*\d{1,3}\s*,",),
          check=v.is_byte_array),
    # An authenticator's setup key as the "can't scan it?" screen shows it: base32, often in groups of four.
    _Rule("totp_secret", _rx(
        r"(?i)(?<![a-z0-9])(?:authenticator|totp|otp|2fa|mfa|two[- ]factor|2-step)\b[\w -]{0,24}?[:=]?[ \t]*"
        r"(?<![a-z0-9])((?:[a-z2-7]{4}[ -]?){3,15}[a-z2-7]{4})(?![\w-])"),
          ("authenticator", "totp", "otp", "2fa", "mfa", "two-factor", "two factor", "2-step"),
          check=lambda t: (any(c in "234567" for c in t) or (len(t) >= 24 and " " not in t))
          and v.looks_random(t.replace(" ", "").replace("-", ""), 3.5),
          group=1),
    # Recovery codes: a header naming them, then at least five code-shaped lines.
    _Rule("backup_codes", _rx(
        r"(?i)(?:backup|recovery|2fa|резервн\w*|восстановлени\w*|respaldo|recuperação|wiederherstellung)"
        r"[^\n]{0,40}\n(?>[ \t]*[A-Za-z0-9]{3,12}(?:[- ][A-Za-z0-9]{3,6})?[ \t]*\n){4,}"
        r"[ \t]*[A-Za-z0-9]{3,12}(?:[- ][A-Za-z0-9]{3,6})?"),
          (r"re:(?:backup|recovery|2fa|резервн|восстановлени|respaldo|recuperação|wiederherstellung)[^\n]{0,60}\n"
           r"[ \t]*[a-z0-9]{3,12}(?:[- ][a-z0-9]{3,6})?[ \t]*\n",)),
)
_HINTS = frozenset(h for rule in _PREFIXED for h in rule.hint)
_DIGIT = _rx(r"\d")
_LONG_TOKEN, _KEY_WORD = "<token>", "<key word>"
_GROUPED_HINT = _rx(r"(?:[a-z0-9]{4}[- ]){3}[a-z0-9]{0,3}\d")
_IDENT_TAIL = _rx(r"[a-z0-9_-]{0,64}")  # bounded: "keykeykey…" must not rescan the rest for every "key"
_IDENT_BACK = _rx(r"[a-z0-9_.-]*")  # matched on the reversed text before a keyword
_NOT_SECRET_NAMES = ("id", "_name", "name", "url", "file", "path", "length", "type")

# Case-sensitive literals for short tokens the token pass (16+ characters) does not see.
_SHORT: tuple[_Rule, ...] = (
    _Rule("artifactory_token", _rx(r"(?:(?<=[\s=:\"'])|^)(?:AKC[a-zA-Z0-9]{10,}|AP[\dABCDEF][a-zA-Z0-9]{8,})(?![\w])"),
          ("AKC", "AP")),
)

# Shapes recognised on whole tokens (one pass collects the tokens of 16 characters or more).
_TOKEN = _rx(r"(?<![A-Za-z0-9+/_.-])[A-Za-z0-9+/_.-]{16,}={0,2}")
_TOKEN_SHAPES: tuple[tuple[str, re.Pattern[str], Callable[[str], bool] | None], ...] = (
    ("aws_access_key_id", _rx(r"(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA|A3T[A-Z0-9])[A-Z0-9]{16}"), None),
    ("twilio_key", _rx(r"(?:SK|AC)[0-9a-zA-Z]{32}"), None),
    ("artifactory_token", _rx(r"AKC[a-zA-Z0-9]{10,}|AP[\dABCDEF][a-zA-Z0-9]{8,}"), None),  # long ones
    ("wif_private_key", _rx(r"[5KLc9][1-9A-HJ-NP-Za-km-z]{50,51}"), v.is_wif),
    ("extended_private_key", _rx(r"[xyztuvYZUV]prv[1-9A-HJ-NP-Za-km-z]{100,108}"), v.is_extended_private_key),
    ("discord_bot_token", _rx(r"[MNO][A-Za-z\d_-]{23,25}\.[\w-]{6}\.[\w-]{27,38}"), None),
    ("hashicorp_token", _rx(r"hv[sbr]\.[A-Za-z0-9_-]{90,}"), None),
    ("age_recipient_is_public", _rx(r"age1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{58}"), lambda t: False),
    ("wallet_keypair", _rx(r"[1-9A-HJ-NP-Za-km-z]{86,88}"), v.is_solana_keypair),
    # Telethon / Pyrogram session strings: a few hundred URL-safe base64 characters, a whole login.
    ("telegram_session", _rx(r"[A-Za-z0-9_-]{300,1200}={0,2}"), lambda t: v.looks_random(t, 5.0)),
)

# key = value assignments whose key names a secret; the value must look like one.
# Searched in the lower-cased text; grouped by first letter, which Python's regex engine checks fast.
# "Password" in more languages: Polish, Czech, Hungarian, Swedish, Dutch, Danish, Norwegian, Finnish,
# Romanian, Vietnamese, Indonesian, French, Arabic, Persian, Hindi, Japanese, Korean, Thai, Hebrew, Greek.
_LOGIN_WORDS_ELSEWHERE = (
    "hasło|heslo|jelszó|lösenord|wachtwoord|adgangskode|passord|salasana|parolă|mật khẩu|kata sandi|"
    "mot de passe|كلمة المرور|كلمة السر|رمز عبور|पासवर्ड|パスワード|비밀번호|รหัสผ่าน|סיסמה|κωδικός")
_ASSIGN_KEY = _rx(
    r"s(?:ecret|eed|enha)|p(?:ass(?:word|wd|phrase)?|wd|riv(?:ate)?[_\-. ]?key|rivkey|arola)|t(?:oken)|"
    r"c(?:ontraseña)|ş(?:ifre)|пароль|密码|"
    + _LOGIN_WORDS_ELSEWHERE + "|"
    r"a(?:pi[_\-. ]?key|pikey|uth)|c(?:redentials?)|m(?:nemonic)|k(?:ey)"
    r"(?:[_\-. ]?(?:key|token|access[_\-. ]?key|phrase))?"
)
_PASSWORD_WORDS = ("pass", "pwd", "senha", "contraseña", "şifre", "пароль", "密码", "parola",
                   *_LOGIN_WORDS_ELSEWHERE.split("|"))
_ASSIGN_VALUE = _rx(
    r"\\?[\"']?[ \t]*(?:[:=]|:=|=>|->)(?!//)[ \t]*(?:\n[ \t]+)?(?:\\?[\"'`]){0,2}([^\s\"'`,;)\]}>\\]{4,256})")
# "the password is 'x'" / "password 'x'": only a quoted value counts.
_ASSIGN_QUOTED = _rx(r"\\?[\"']?\s*(?:\s+is|\s+for\s+\S+\s+is)?\s+\\?[\"'`]([^\s\"'`]{4,128})[\"'`]")
# "password 012345abcdef" (netrc, chat): a bare value after a password word, with digits or symbols.
_ASSIGN_SPACED = _rx(r"(?:\s+(?:is|ist|es|est|é|è|это|是|для\s+\S+|від\s+\S+))?\s*[:：是]?\s+([^\s\"'`,;]{6,64})")
_PASSWORD_WORD = _rx("|".join(map(re.escape, _PASSWORD_WORDS)))
_STRONG_WORD = _rx("secret|priv|mnemonic|seed")
# What the assignment family needs, as one RE2 pattern for the prefilter: a key word followed by one of
# the three value forms above (a superset: the family itself decides).
_KEY_TRIGGER = (
    r"(?:" + _ASSIGN_KEY.pattern + r")[a-z0-9_\-]*(?:\\?[\"']?[ \t]*(?:[:=]|=>|->)|"
    r"\\?[\"']?\s*(?:\s+is|\s+for\s+\S+\s+is)?\s+\\?[\"'`])|"
    r"(?:" + "|".join(_PASSWORD_WORDS) + r")[a-z0-9_\-]*"
    + _ASSIGN_SPACED.pattern.replace("([^\\s\"'`,;]{6,64})", "[^\\s\"'`,;]{6}")
)
_PLACEHOLDER_START = _rx(
    r"(?i)(?:[<{\[(/.]|#\{|(?-i:\$(?:[{(]|[A-Z_][A-Z0-9_]+(?:$|[/}:.])|[A-Za-z_]+$))|#(?:[{#]|[a-z][a-z-]*$)|(?-i:%(?:[A-Z_][A-Z0-9_]*%|[sd(]))|&(?:[a-z]+|#\d+);|x{3,}|hv[sbr]\.[\w-]{1,89}$|\*{3,}|\.{3,}|https?:|"
    r"(?:your|my|the|enter|insert|replace|put|some|example|sample|dummy|fake|test|changeme|redacted|none|null|"
    r"true|false|undefined|secret|password|passwd|token|here|todo|xxx|value|string|required|optional)(?:[\W_]|$)|"
    r"[\w.]+\(|(?:os\.)?(?:environ|getenv|process\.env|env)\b)"
)
_PLACEHOLDER_WORD = _rx(r"(?i)_here|<\w+>|://|example|placeholder|fake|dummy|sample|a1b2c3|123456|abcdef|qwerty|xxxx")


def _letters(value: str) -> bool:
    """Only letters, with their combining marks (Devanagari vowel signs are not str.isalpha)."""
    return all(c.isalpha() or unicodedata.category(c)[0] == "M" for c in value)


def _blob(name: str) -> bool:
    """A keyword found inside base64 or hex ("…pEbZGBpWdf…" holds "pwd"), not in an identifier."""
    return len(name) > 32 and not any(c in name for c in "_.-")


def _password_like(value: str, verb: bool = False) -> bool:
    """A bare word after "password" is a password only with a digit or a symbol in it, or random mixed
    case ("pass Monday" is English). After "pass", which is mostly the verb, only random letters and digits."""
    if value.isdigit():
        return False
    if verb:
        return value.isalnum() and v.char_classes(value) >= 2 and any(c.isdigit() for c in value) \
            and v.looks_random(value, 3.0)
    if not value.isalnum() or any(c.isdigit() for c in value):
        return True
    return len(value) >= 8 and not value.istitle() and v.char_classes(value) >= 2


def _placeholder(value: str) -> bool:
    """A value that stands for a secret rather than being one ("your_api_key", "${TOKEN}", "xxxx")."""
    return _PLACEHOLDER_START.match(value) is not None or _PLACEHOLDER_WORD.search(value) is not None

# Ambiguous shapes: secrets only with secret-like words just before them.
_UUID = _rx(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_HEX = _rx(r"(?:0x)?[0-9a-fA-F]{32,128}")
_ALNUM = _rx(r"[A-Za-z0-9]{18,128}")
_B64 = _rx(r"[A-Za-z0-9+/_-]{30,256}={0,2}")
# Context words, searched in the lower-cased text from word starts.
_SECRET_WORDS = _rx(
    r"\b(?:s(?:ecret|eed|igning|k\b|chlüssel|enha)|p(?:riv(?:ate|key|ad[ao]|\b)|ass(?:phrase|word|wd|\b)|wd|"
    r"arola)|m(?:nemonic)|a(?:pi[\s_-]?key|pikey|nahtar)|t(?:oken)|c(?:redential|lave|have|ontraseña)|"
    r"ö(?:zel)|ş(?:ifre)|к(?:люч)|с(?:екрет|ид)|п(?:ароль|риватн)|т(?:окен)|"
    r"klucz|khóa|kunci|clé|chiave|sleutel|nyckel|nøgle|nøkkel|avain|klíč|kľúč|ključ|pk\b|"
    r"مفتاح|کلید|कुंजी|กุญแจ|מפתח)|私钥|密钥|秘密|密码|助记词|秘密鍵|개인\s?키|비밀\s?키"
)
_KEYID_WORDS = _rx(r"api[\s_-]?key|apikey|access[\s_-]?key|key[\s_-]?id|public[\s_-]?key")
_HARMLESS_WORDS = _rx(
    r"\b(?:t(?:x(?:id|n|[\s_-]?hash)?|ransaction|rade|icket)|h(?:ash)|a(?:ddr(?:ess)?|ccount[\s_-]?id|дрес)|"
    r"w(?:allet)|d(?:eposit)|o(?:rder)|i(?:d|nvoice)|r(?:ef|equest)|b(?:lock)|c(?:ommit|hecksum|ontract|lient[\s_-]?id)|"
    r"s(?:ha\d*|ession[\s_-]?id)|m(?:d5)|p(?:ubkey|ublic)|x(?:pub)|u(?:uid)|х(?:[эе]ш)|о(?:рдер)|з(?:аказ)|"
    r"т(?:ранзакц))\b"
)
_CONTEXT_WORDS = _rx(f"(?P<secret>{_SECRET_WORDS.pattern})|(?P<harmless>{_HARMLESS_WORDS.pattern})")
# A word starts with a letter (one Chinese character is a word) and runs on through letters, digits and
# the combining marks of decomposed text. One character class after the first: several times faster
# than an alternation, and this runs on every message.
_WORD = _rx(r"[^\W\d_][\w\u0300-\u036f\u3099\u309a]*")
_WORD_ASCII = _rx(r"[a-z][a-z0-9_]*")  # the same words in ASCII text, twice as fast
_PUNCT = ".,;:!?()[]{}\"'«»-—"
_TURKISH_CAPITALS = str.maketrans("Iİ", "ıi")
# ASCII punctuation and digits become spaces; UTF-8 bytes of other scripts (all >= 0x80) stay as they are.
_GATE_BYTES = bytes(32 if chr(b) in string.punctuation + string.digits else b for b in range(256))
# Separators outside ASCII people put between words: bullets, dashes, arrows, keycap emoji ("1️⃣").
_GATE_SEPARATORS = ("\u3000", "\xa0", "•", "·", "—", "–", "→", "\ufe0f", "\u20e3")


def _word_runs(low: str) -> list[bytes]:
    """The words of every run of six or more wordlist words, numbers and punctuation aside: every phrase
    layout has such a run (a phrase in two halves has one of at least six), and most text has none. The
    search is in C, on UTF-8 bytes: translate, split, a frozenset lookup mapped over the words, bytes.find."""
    if not low.isascii():
        for separator in _GATE_SEPARATORS:
            if separator in low:
                low = low.replace(separator, " ")
    words = low.encode().translate(_GATE_BYTES).split()
    flags = bytes(map(v.any_wordlist_utf8().__contains__, words))
    out: list[bytes] = []
    start = flags.find(b"\x01" * 6)
    while start >= 0:
        end = flags.find(b"\x00", start)
        end = len(flags) if end < 0 else end
        out += words[start:end]
        start = flags.find(b"\x01" * 6, end)
    return out
_STRIP = _PUNCT + "0123456789`<>=/\\"
_CONTEXT = 48
_NEAR = 24


class Detector:
    """Finds secrets in text. Stateless apart from compiled rules; safe to share."""

    def __init__(self, prefilter: bool = True) -> None:
        # prefilter=False runs every rule on every text: slower, and the reference the tests hold the
        # prefilter to (it may skip work, never a finding).
        self._prefilter = _Prefilter() if prefilter else _Everything()

    def find(self, text: str) -> list[Finding]:
        if len(text) < 8:
            return []
        low = text.lower()
        findings: list[Finding] = []
        present = self._prefilter.scan(low)
        for rule in self._prefilter.rules(present):
            for match in rule.pattern.finditer(text):
                token = match.group(rule.group)
                if rule.check is None or rule.check(token):
                    findings.append(Finding(rule.kind, match.start(rule.group), match.end(rule.group)))
        for rule in _SHORT:
            if any(h in text for h in rule.hint):
                findings += [Finding(rule.kind, m.start(), m.end()) for m in rule.pattern.finditer(text)]
        tokens = _LONG_TOKEN in present
        if tokens:
            findings += self._tokens(text, low, findings)
        if _KEY_WORD in present:
            findings += self._assignments(text, low, findings)
        # Turkish capitals: "Izgara" is "ızgara" but "Iktibas" is "iktibas" (typed without İ); str.lower()
        # cannot know which, so Turkish words are looked up both ways.
        turkish = None
        if ("I" in text or "İ" in text) and any(c in low for c in "şğıçöü"):
            turkish = text.translate(_TURKISH_CAPITALS).lower()
        findings += self._mnemonics(low, turkish)
        if "\\u" in text or "%" in text:  # JSON with ensure_ascii ("\u878d"), URL-encoding ("caf%C3%A9%20…")
            findings += _escaped_mnemonics(text)
        if "," in text and "\n" in text and ("secret" in low or "pass" in low or "priv" in low):
            findings += _csv_columns(text, low)
        if not findings and "\n" in text and (tokens or _GROUPED_HINT.search(low) or not self._prefilter.skips):
            findings += _pairs(text)
        if not findings and tokens and (bare := self._bare_token(text) or _lone_hex_key(text, low)) is not None:
            findings.append(bare)
        return _merge(_without_public(text, findings))

    def is_secret(self, text: str) -> bool:
        return bool(self.find(text))

    def redact(self, text: str) -> str:
        for finding in reversed(self.find(text)):
            text = f"{text[:finding.start]}[REDACTED:{finding.kind}]{text[finding.end:]}"
        return text

    # --- rule families --------------------------------------------------------------------------

    @staticmethod
    def _tokens(text: str, low: str, found: list[Finding]) -> list[Finding]:
        out: list[Finding] = []
        context: _Context | None = None
        covered = _Coverage(found)
        for match in _TOKEN.finditer(text):
            token, start = match.group(0).rstrip("."), match.start()
            if len(token) < 16 or covered(start):
                continue
            kind = _shape(token)
            if kind is not None:
                out.append(Finding(kind, start, start + len(token)))
                continue
            if "." in token or (_DIGIT.search(token) is None and (token.islower() or v.is_identifier(token))):
                continue  # dotted names, and identifiers like "callback_query_id" or "InlineKeyboardMarkup"
            context = context or _Context(low)
            kind = context.ambiguous(token, start)
            if kind is not None:
                out.append(Finding(kind, start, start + len(token)))
        return out

    @staticmethod
    def _assignments(text: str, low: str, found: list[Finding]) -> list[Finding]:
        out: list[Finding] = []
        covered = _Coverage(found)
        taken = 0
        keystore = '"ciphertext"' in low and '"kdf' in low
        for key in _ASSIGN_KEY.finditer(low):
            if key.start() < taken:
                continue
            right = _IDENT_TAIL.match(low, key.end()).end()  # type: ignore[union-attr]
            word = low[key.start():right]
            password = _PASSWORD_WORD.search(word) is not None
            strong = password or _STRONG_WORD.search(word) is not None
            # "you can pass "attach://…"", "pass max_tip_amount = 145": a verb, unless a keystore is beside it
            verb = word == "pass" and not keystore
            if (m := _ASSIGN_VALUE.match(text, right)) is not None:
                value, start = m.group(1).rstrip("."), m.start(1)
                quoted = text[start - 1:start] in ("\"", "'", "`")
                if quoted and text[m.end(1):m.end(1) + 1] not in ("\"", "'", "`", "\\"):
                    continue  # a quoted phrase with spaces in it, not a secret
            elif strong and (m := _ASSIGN_QUOTED.match(text, right)) is not None:
                value, start, quoted = m.group(1), m.start(1), True
                if verb and not _password_like(value, verb):
                    continue
            elif password and (m := _ASSIGN_SPACED.match(text, right)) is not None:
                value, start, quoted = m.group(1), m.start(1), False
                if not _password_like(value, verb):
                    continue
            else:
                continue
            if start < taken or covered(start):
                continue
            taken = start + len(value)  # keys inside this value ("key=key=…") are part of it: not looked at again
            if _placeholder(value):
                continue
            # The whole identifier around the keyword: "AWS_SECRET_ACCESS_KEY", "client_secret", "key_id".
            window = low[max(0, key.start() - 64):key.start()]
            name = window[len(window) - _IDENT_BACK.match(window[::-1]).end():] + word  # type: ignore[union-attr]
            if "public" in name or name.endswith(_NOT_SECRET_NAMES) or _blob(name):
                continue
            if _UUID.fullmatch(value) and not strong:
                continue  # a UUID under "api key", "access key", "token": usually an id (XT, OKX key ids)
            config_style = text[right:m.start(1)].strip("\"'") == "="  # KEY=value, as in .env files
            if password:
                ok = len(value) >= 4 and (quoted or config_style or not _letters(value)
                                          or v.char_classes(value) >= 2)
            elif strong:
                ok = len(value) >= 6 and len(set(value)) >= 5 and (
                    v.char_classes(value) >= 2 or quoted or (len(value) >= 16 and v.looks_random(value, 3.5)))
            else:
                ok = v.looks_random(value, 3.2)
            if ok:
                out.append(Finding("password" if password else "secret_assignment", start, start + len(value)))
        return out

    @staticmethod
    def _bare_token(text: str) -> Finding | None:
        """A message that is nothing but one random mixed-case token is a pasted credential. Hex and
        UUIDs alone stay harmless (hashes, ids), and so do base58 strings of an address's length."""
        token = text.strip()
        if token.startswith("eyJ") or not _ALNUM.fullmatch(token):
            return None
        if v.char_classes(token) < 3 or not v.looks_random(token, 4.0):
            return None
        if (32 <= len(token) <= 44 or 86 <= len(token) <= 88) and _B58.issuperset(token):
            return None  # an address, or a Solana transaction signature (a secret key is found by shape)
        start = text.index(token)
        return Finding("api_secret", start, start + len(token))

    @staticmethod
    def _mnemonics(low: str, turkish: str | None = None) -> list[Finding]:
        runs = _word_runs(low) or (_word_runs(turkish) if turkish is not None else [])
        if not runs:
            return []
        languages = v.languages_of(runs)
        # Then words as letter runs, so `from_mnemonic("abandon …")`, JSON and "1.abandon" give all of theirs.
        ascii_only = low.isascii()
        words = _Words(low, _WORD_ASCII if ascii_only else _WORD)
        normalized = [low[a:b] for a, b in words.spans]
        if not ascii_only:
            normalized = [w if w.isascii() else unicodedata.normalize("NFKD", w) for w in normalized]
        present = set(normalized)
        out: list[Finding] = []
        for language in languages:
            wordlist = v.wordlist(language)
            if len(wordlist.intersection(present)) < 8:
                continue  # a phrase in this language would bring at least 8 different words
            if language == "turkish" and turkish is not None and len(turkish) == len(low):
                normalized = [n if n in wordlist else unicodedata.normalize("NFKD", turkish[a:b])
                              for n, (a, b) in zip(normalized, words.spans, strict=True)]
            phrase = _Phrase(low, words, normalized, language)
            found = phrase.in_runs() or phrase.numbered(low)
            out += found
        return out


class _Prefilter:
    """Which rules a text needs, in one pass of RE2 over it. A set of patterns (every rule's literals, a
    16-character token, a token in groups of four, a key word) is matched at once in linear time, so a
    message with none of them costs a couple of microseconds. RE2 over pyahocorasick and hyperscan: see
    bench/prefilter.py for the figures and the reasons."""

    def __init__(self) -> None:
        # On the lower-cased text, without (?i): Unicode case folding and long counted repetitions multiply
        # the DFA's states, and a DFA that outgrows the CPU caches costs a cache miss per byte.
        # Keep the DFA small: every pattern runs in it at once, and counted repetitions beside the
        # literals multiply its states (a token pattern that also asks for a digit: 7 µs alone, 40 µs in
        # the set), and a DFA that outgrows the CPU caches costs a cache miss per byte.
        patterns = {h: h[3:] if h.startswith("re:") else re2.escape(h) for h in sorted(_HINTS)}
        patterns[_LONG_TOKEN] = r"[a-z0-9+/_.\-]{16}"
        patterns[_KEY_WORD] = _KEY_TRIGGER
        self._names = list(patterns)
        self._rules = {name: tuple(r for r in _PREFIXED if name in r.hint) for name in self._names}
        options = re2.Options()
        options.max_mem = 64 << 20
        self._set = re2.Set.SearchSet(options)
        for pattern in patterns.values():
            self._set.Add(pattern)
        self._set.Compile()

    skips = True

    def scan(self, low: str) -> frozenset[str]:
        return frozenset(self._names[i] for i in self._set.Match(low) or ())

    def rules(self, present: frozenset[str]) -> list[_Rule]:
        """The rules the text's literals call for, each once, in their declared order."""
        wanted = {id(r): r for name in present for r in self._rules.get(name, ())}
        return [r for r in _PREFIXED if id(r) in wanted] if len(wanted) > 1 else list(wanted.values())


class _Everything(_Prefilter):
    """A prefilter that lets every rule run."""

    skips = False

    def scan(self, low: str) -> frozenset[str]:
        return frozenset(self._names)


_ESCAPES = _rx(r"\\u([0-9a-fA-F]{4})|(?:%[0-9a-fA-F]{2})+")


def _escaped_mnemonics(text: str) -> list[Finding]:
    """Seed phrases in text with \\uXXXX or %XX escapes, found on the decoded text and mapped back."""
    parts: list[str] = []
    origin: list[int] = []  # origin[i]: where decoded character i starts in the text
    position = 0
    for m in _ESCAPES.finditer(text):
        parts.append(text[position:m.start()])
        origin += range(position, m.start())
        if m.group(1):
            decoded = chr(int(m.group(1), 16))
        else:  # a run of %XX: UTF-8 bytes
            decoded = bytes.fromhex(m.group(0).replace("%", "")).decode("utf-8", "replace")
        parts.append(decoded)
        origin += [m.start()] * len(decoded)
        position = m.end()
    if not parts:
        return []  # "50%", "\\under": nothing encoded
    parts.append(text[position:])
    origin += range(position, len(text) + 1)
    decoded = "".join(parts)
    return [Finding(f.kind, origin[f.start], origin[f.end]) for f in Detector._mnemonics(decoded.lower())]


def _shape(token: str) -> str | None:
    """The unambiguous shape of a token, if any; cheap length and prefix tests come first."""
    n, first = len(token), token[0]
    candidates = []
    if n == 20 and first == "A":
        candidates.append(0)
    if n == 34 and token[:2] in ("SK", "AC"):
        candidates.append(1)
    if first == "A" and token[:3] in ("AKC", *(f"AP{c}" for c in "0123456789ABCDEF")):
        candidates.append(2)
    if n in (51, 52) and first in "5KLc9":
        candidates.append(3)
    if n >= 103 and token[1:4] == "prv":
        candidates.append(4)
    if first in "MNO" and token.count(".") == 2:
        candidates.append(5)
    if first == "h" and token[:3] in ("hvs", "hvb", "hvr"):
        candidates.append(6)
    if token.startswith("age1"):
        candidates.append(7)
    if 86 <= n <= 88:
        candidates.append(8)
    if n >= 300:
        candidates.append(9)
    for i in candidates:
        kind, pattern, check = _TOKEN_SHAPES[i]
        if pattern.fullmatch(token):
            return kind if check is None or check(token) else None
    return None


class _Context:
    """The words just before a token, in the lower-cased text: one regex pass over those 48 characters
    finds the secret and the harmless words together."""

    def __init__(self, low: str) -> None:
        self.low = low

    def ambiguous(self, token: str, start: int) -> str | None:
        secret = harmless = -1
        for m in _CONTEXT_WORDS.finditer(self.low, max(0, start - _CONTEXT), start):
            if m.lastgroup == "secret":
                secret = m.end()
            elif m.start() >= start - _NEAR:
                harmless = m.end()
        # The word closest to the token decides: "wallet bot api key: X" is a key, "secret… tx hash X" is not.
        if secret < 0 or harmless > secret:
            return None
        kind = _ambiguous_shape(token)
        if kind == "uuid":
            # A UUID after "api key"/"access key" is a key id (XT, OKX): the public half only.
            near = self.low[max(0, start - _NEAR):start]
            last_secret = list(_SECRET_WORDS.finditer(near))
            if not last_secret or _KEYID_WORDS.search(near[last_secret[-1].start():]):
                return None
            return "venue_secret"
        return kind


def _ambiguous_shape(token: str) -> str | None:
    """What a token would be with secret words before it: "uuid" (decided by the words), a 64-hex private
    key, another secret, or nothing (identifiers, low-entropy hex, words)."""
    if v.is_identifier(token):
        return None  # "X-Telegram-Bot-Api-Secret-Token", "EncryptedPassportElement"
    if _UUID.fullmatch(token):
        return "uuid"
    if _HEX.fullmatch(token):
        digits = token[2:] if token.startswith("0x") else token
        if v.shannon_entropy(digits) < 3.0:
            return None
        return "private_key_hex" if len(digits) == 64 else "venue_secret"
    if (_ALNUM.fullmatch(token) or _B64.fullmatch(token)) and v.char_classes(token) >= 2 \
            and v.looks_random(token, 3.6):
        return "venue_secret"
    return None


_NUMBERED = _rx(r"(?<![\w.])(\d{1,2})[.):\-]?[ \t]{0,12}(?=[^\W\d_])")  # "1. word", "12)word", "7 - word"
_SIZES = (24, 21, 18, 15, 12)
_NEWLINE, _LABEL_BREAKS = frozenset("\n"), frozenset(":=\n")
_FOUR_OR_MORE = re.compile(rb"\x01{4,}")
_NO_DIGITS = str.maketrans("", "", "0123456789")
_TRIMS = {n: [t for t in itertools.product(range(n + 1), repeat=4) if sum(t) == n] for n in range(4)}


class _Words:
    """Where each word of the text starts and ends, found only when a phrase candidate needs it."""

    def __init__(self, low: str, pattern: re.Pattern[str]) -> None:
        self.low, self.pattern = low, pattern

    @functools.cached_property
    def spans(self) -> list[tuple[int, int]]:
        return [m.span() for m in self.pattern.finditer(self.low)]

    def gap(self, i: int) -> str:
        """What separates word i from word i + 1."""
        spans = self.spans
        return self.low[spans[i][1]:spans[i + 1][0]]

    def gap_without_digits(self, i: int) -> str:
        gap = self.gap(i)
        return gap.translate(_NO_DIGITS) if _DIGIT.search(gap) else gap


class _Phrase:
    """Seed phrases of one wordlist among a text's words (`words`, NFKD-`normalized`)."""

    def __init__(self, low: str, words: _Words, normalized: list[str], language: str) -> None:
        self.low, self.words, self.normalized, self.language = low, words, normalized, language
        self.wordlist = v.wordlist(language)

    def _finding(self, first: int, last: int) -> Finding:
        spans = self.words.spans
        return Finding("seed_phrase", spans[first][0], spans[last][1])

    def _valid(self, indices: list[int]) -> bool:
        return v.is_bip39([self.normalized[i] for i in indices], self.language)

    def numbered(self, low: str) -> list[Finding]:
        """Words numbered 1…n in any order: a phrase written in two columns ("1. gym   7. resource") reads
        in number order. All numbers but one present (11 of 12, 23 of 24) is a phrase with a word left out,
        which costs seconds to brute-force."""
        numbers = {m.end(): int(m.group(1)) for m in _NUMBERED.finditer(low)}
        if len(numbers) < 11:
            return []
        by_number: dict[int, int] = {}
        starts = [a for a, _ in self.words.spans]
        for position, n in numbers.items():
            i = bisect.bisect_left(starts, position)
            if i < len(starts) and starts[i] == position and self.normalized[i] in self.wordlist:
                if n in by_number:
                    return []  # two lists, or numbers that are not a phrase's
                by_number[n] = i
        count = len(by_number)
        if count < 11 or max(by_number) > 24 or min(by_number) != 1:
            return []
        indices = [by_number[n] for n in sorted(by_number)]
        span = self._finding(min(indices), max(indices))
        if count in _SIZES and max(by_number) == count and self._valid(indices):
            return [span]
        return [span] if count in (11, 23) and max(by_number) in (count, count + 1) else []

    def in_runs(self) -> list[Finding]:
        # Runs of four or more wordlist words, found in C: a membership byte per word, then a bytes regex.
        flags = bytes(map(self.wordlist.__contains__, self.normalized))
        runs = [list(range(*m.span())) for m in _FOUR_OR_MORE.finditer(flags)]
        out = [f for run in runs if len(run) >= 11 for f in self._in_run(run)]
        return out or self._halves(runs)

    def _halves(self, runs: list[list[int]]) -> list[Finding]:
        """A phrase sent in two parts with a few words between them ("…\nand the rest: …", "…\nthen …"),
        where those words may themselves be in the wordlist."""
        parts = [part for run in runs for part in self._split(run, _NEWLINE)]
        for a, b in itertools.pairwise(parts):
            if min(len(a), len(b)) < 4 or b[0] - a[-1] > 7:
                continue
            if len(a) + len(b) == 23:
                return [self._finding(a[0], b[-1])]
            for size in _SIZES:
                # Up to three words of chat that happen to be in the wordlist: before the phrase, between
                # its halves or after it.
                extra = len(a) + len(b) - size
                for a0, a1, b0, b1 in _TRIMS.get(extra, ()):
                    joined = a[a0:len(a) - a1] + b[b0:len(b) - b1]
                    if self._valid(joined):
                        return [self._finding(joined[0], joined[-1])]
        return []

    def _split(self, run: list[int], breaks: frozenset[str]) -> list[list[int]]:
        """The run cut where the text between two words holds one of `breaks`."""
        parts = [[run[0]]]
        for a, b in itertools.pairwise(run):  # words of a run are consecutive: b == a + 1
            if not breaks.isdisjoint(self.words.gap(a)):
                parts.append([])
            parts[-1].append(b)
        return parts

    def _in_run(self, run: list[int]) -> list[Finding]:
        """The checksummed phrases inside one run of wordlist words. Words before a phrase are often chat
        that happens to be in the wordlist ("restore wallet …"); a phrase ends its run or where the
        separator changes, so a random word sequence one word longer than a phrase is not tried twice.
        A run of exactly 11 or 23 words is a phrase with one word left out."""
        out = []
        # Where a phrase may end: at the run's end, or where the separator changes (digits aside).
        separators = [self.words.gap_without_digits(k) for k in run[:-1]]
        ends = [False, *(a != b for a, b in itertools.pairwise(separators)), True]
        i = 0
        while i + 12 <= len(run):
            for size in _SIZES:
                part = run[i:i + size]
                if len(part) == size and ends[i + size - 1] and self._valid(part):
                    out.append(self._finding(part[0], part[-1]))
                    i += size
                    break
            else:
                i += 1
        if not out:
            # "seed: w1 … w11", "now\nw1 … w11": the label or the chat before may be a wordlist word too.
            for part in (run, *self._split(run, _LABEL_BREAKS)):
                if len(part) in (11, 23):
                    return [self._finding(part[0], part[-1])]
        return out




def _without_public(text: str, findings: list[Finding]) -> list[Finding]:
    """Drop what only looks secret: documented public dev keys, and anything inside a WalletConnect URI."""
    if not findings:
        return findings
    spans = [(m.start(), m.end()) for m in _HARMLESS_SPANS.finditer(text)] if "wc:" in text else []
    out = []
    for f in findings:
        value = text[f.start:f.end].lower().removeprefix("0x")
        if value in PUBLIC_DEV_KEYS or any(a <= f.start and f.end <= b for a, b in spans):
            continue
        out.append(f)
    return out


_HEX64 = _rx(r"(?<![\w/.:=-])(0x)?[0-9a-fA-F]{64}(?![\w/.-])")
_FILE_NAME = _rx(r"\w\.[a-z][a-z0-9]{1,4}\b")  # sha256sum's "<hash>  keybot-2.0.1.whl"
_KEY_AFTER = _rx(r"\b(?:key|priv|secret|pk)\b|\bkey\b")


def _lone_hex_key(text: str, low: str) -> Finding | None:
    """One 64-hex value with a few words of chat and nothing that makes it a hash: how a wallet's
    "Show private key" is pasted (no 0x). With 0x it is usually a transaction, unless a key is named."""
    if len(text) > 200 or "/" in text:
        return None
    matches = list(_HEX64.finditer(text))
    if len(matches) != 1:
        return None
    m = matches[0]
    rest = low[:m.start()] + " " + low[m.end():]
    if len(rest.strip()) > 80 or _HARMLESS_WORDS.search(rest) or _FILE_NAME.search(rest) \
            or v.shannon_entropy(m.group(0).lower()) < 3.0:
        return None
    if m.group(1) and not (_KEY_AFTER.search(rest) or _SECRET_WORDS.search(rest)):
        return None
    return Finding("private_key_hex", m.start(), m.end())


_CSV_SECRET = ("secret", "pass", "priv", "seed", "mnemonic")
_CSV_NAME = _rx(r"[ \t]*[\w][\w .-]{0,39}")  # column names: no quotes, colons or code


def _csv_columns(text: str, low: str) -> list[Finding]:
    """A spreadsheet export: a header naming a secret column, then rows with a value in it."""
    out: list[Finding] = []
    lines = [(m.start(), m.group(0)) for m in _LINE.finditer(text)]
    i = 0
    while i < len(lines) - 1:
        names = lines[i][1].lower().split(",")
        columns = [j for j, name in enumerate(names) if any(w in name for w in _CSV_SECRET)]
        i += 1
        if len(names) < 2 or not columns or not all(_CSV_NAME.fullmatch(n) for n in names):
            continue
        for start, row in lines[i:i + 50]:  # the rows under this header are not read again as headers
            cells = row.split(",")
            if len(cells) != len(names):
                break
            i += 1
            offsets = list(itertools.accumulate((len(c) + 1 for c in cells), initial=start))
            for j in columns:
                value = cells[j].strip().strip("\"'")
                if len(value) >= 8 and not _placeholder(value) and (
                        v.char_classes(value) >= 2 or v.looks_random(value, 3.0)):
                    at = offsets[j] + cells[j].index(value)
                    out.append(Finding("api_secret", at, at + len(value)))
    return out


# Two credential-shaped lines in a row (key, then secret) with no words: what a trader pastes after creating
# a key, maybe with a word of chat on the same line. The shapes must differ from a list of hashes or
# addresses: mixed-case random tokens, or a UUID followed by hex or another UUID.
_PAIR_UUID = _rx(r"[0-9a-fA-F]{4,12}(?:-[0-9a-fA-F]{4,12}){3,7}")  # UUIDs, and HTX's 8-8-8-5 keys
_PAIR_HEX = _rx(r"[0-9a-fA-F]{24,64}")  # KuCoin's keys are 24
_PAIR_MIXED = _rx(r"[A-Za-z0-9+/_-]{16,128}={0,2}")  # alphanumeric and base64 (Kraken's keys)
_PAIR_PREFIXED = _rx(r"[a-z]{2,8}_[0-9a-fA-F]{24,64}")  # "bg_" + hex (Bitget)
_GROUPED = _rx(r"(?<![A-Za-z0-9-])[A-Za-z0-9]{4}(?:[- ][A-Za-z0-9]{4}){5,31}(?![A-Za-z0-9])")
_B58 = frozenset("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz")
_LINE = _rx(r"[^\n]*\S[^\n]*")
_PAIRS = {("mixed", "mixed"), ("uuid", "hex"), ("uuid", "uuid"), ("uuid", "mixed"), ("mixed", "hex"), ("hex", "uuid"),
          ("mixed", "b58"), ("uuid", "b58")}
_ID_HEADERS = _rx(r"\b(?:order|trade|invoice|ticket|ордер|заказ|сделк)")


def _mixed_case(token: str) -> bool:
    return any(c.isupper() for c in token) and any(c.islower() for c in token)


def _token_shape(token: str) -> str | None:
    if _PAIR_UUID.fullmatch(token):
        return "uuid" if len(token) - token.count("-") >= 24 else None
    if _PAIR_HEX.fullmatch(token) and v.shannon_entropy(token.lower()) >= 3.0:
        return "hex"
    if _PAIR_PREFIXED.fullmatch(token):
        return "mixed"
    # Short keys (Bybit's 18 characters) cannot reach the entropy of long ones.
    entropy = min(3.5, math.log2(len(token)) * 0.8)
    if _PAIR_MIXED.fullmatch(token) and _mixed_case(token) and v.looks_random(token, entropy) \
            and not v.is_identifier(token):
        # Base58 of an address's length (Solana, Tron, Bitcoin): an address when it stands next to another.
        return "b58" if 32 <= len(token) <= 44 and _B58.issuperset(token) else "mixed"
    return None


def _credential(line: str, start: int) -> tuple[str, int, int] | None:
    """The one credential-shaped token on a line with at most a few short words beside it."""
    if (grouped := _GROUPED.search(line)) is not None:
        joined = grouped.group(0).replace("-", "").replace(" ", "")
        shape = _token_shape(joined)
        return (shape, start + grouped.start(), start + grouped.end()) if shape else None
    found: tuple[str, int, int] | None = None
    other = 0
    for m in re.finditer(r"\S+", line):
        token = m.group(0).strip("\"'`,;:()[]<>")
        shape = _token_shape(token) if len(token) >= 16 else None
        if shape is None:
            other += len(m.group(0)) + 1
        elif found is not None:
            return None  # two on one line: a table, not a key and its secret
        else:
            offset = start + m.start() + m.group(0).index(token)
            found = (shape, offset, offset + len(token))
    return found if found is not None and other <= 40 else None


def _pairs(text: str) -> list[Finding]:
    """A key line followed by a secret line. A longer block of such lines is a list of hashes or ids."""
    lines = [(m.start(), m.group(0)) for m in _LINE.finditer(text)]
    creds = [_credential(line, start) for start, line in lines]
    out: list[Finding] = []
    for i in range(len(lines) - 1):
        first, second = creds[i], creds[i + 1]
        if first is None or second is None or (first[0], second[0]) not in _PAIRS:
            continue
        if (i > 0 and creds[i - 1] is not None) or (i + 2 < len(lines) and creds[i + 2] is not None):
            continue
        words = " ".join(line for _, line in lines[max(0, i - 1):i + 2]).lower()
        if _HARMLESS_WORDS.search(words) or _ID_HEADERS.search(words):
            continue  # "orders:", "tx …": ids and hashes
        out.append(Finding("api_secret", second[1], second[2]))
    return out


class _Coverage:
    """Whether a position lies inside one of the findings: O(log n) a question, so texts with many
    findings stay linear."""

    def __init__(self, found: list[Finding]) -> None:
        merged = _merge(found)
        self._starts = [f.start for f in merged]
        self._ends = [f.end for f in merged]

    def __call__(self, position: int) -> bool:
        i = bisect.bisect_right(self._starts, position) - 1
        return i >= 0 and position < self._ends[i]


def _merge(findings: list[Finding]) -> list[Finding]:
    """Sorted, with findings inside an earlier longer one dropped."""
    out: list[Finding] = []
    for f in sorted(findings, key=lambda f: (f.start, -f.end)):
        if out and f.start < out[-1].end:
            if f.end > out[-1].end:
                out[-1] = Finding(out[-1].kind, out[-1].start, f.end)
            continue
        out.append(f)
    return out

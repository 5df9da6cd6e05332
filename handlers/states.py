"""FSM states. The state name says where the user is; FSM data holds answers, never secrets."""

from aiogram.fsm.state import State, StatesGroup


class AddKey(StatesGroup):
    venue = State()
    env = State()
    host = State()
    name = State()
    perms = State()
    ro = State()
    ips = State()
    exp = State()
    exp_date = State()
    act = State()
    summary = State()


class Credentials(StatesGroup):
    paste = State()  # data: key_id, field index, mode (new | rotate)


class KeyEdit(StatesGroup):
    rename = State()  # data: key_id
    exp_date = State()  # data: key_id


class BrokerSession(StatesGroup):
    token = State()  # data: key_id, op (create | sync | delete), remember; never the token itself


class Unlock(StatesGroup):
    """The unlock passphrase is asked for; the message carrying it is deleted at once and never stored."""

    ask = State()  # before a guarded key action; data: then (rev | del | …), key_id
    current = State()  # before changing or turning it off; data: then (change | off)
    new = State()
    repeat = State()
    code = State()  # the authenticator's code, before the passphrase; data: next (ask | current) and the above
    totp = State()  # the first code from a newly added authenticator

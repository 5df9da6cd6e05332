"""Stand-ins for venues added as plug-in modules: `bot.sandbox.stand_ins.<venue>.answer(...)`. Each is
written from the venue's docs and must not import the bot's signing code (a test checks)."""

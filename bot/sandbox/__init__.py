"""An offline stand-in for Telegram: a Bot API emulator, its driver API and a web chat page."""

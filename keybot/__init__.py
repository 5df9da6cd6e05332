"""The application: wiring (services, routers, middlewares) and the command line. The only package that
imports both the bot's services and the Telegram handlers; `python -m keybot` runs it."""

"""Key-hygiene companion bot: guided API-key setup, an encrypted key store and chat secret hygiene."""

-- Setup drafts found by column, not by parsing FSM keys or naming a handler's state: whose entry it is,
-- and whether its data holds a draft (the setup flow keeps one under "draft").
ALTER TABLE fsm ADD COLUMN user_id INTEGER;
ALTER TABLE fsm ADD COLUMN has_draft INTEGER NOT NULL DEFAULT 0;
UPDATE fsm SET has_draft = 1 WHERE json_extract(data, '$.draft') IS NOT NULL;
CREATE INDEX fsm_drafts ON fsm(updated_at) WHERE has_draft = 1;
CREATE INDEX fsm_user ON fsm(user_id);
-- Rows written before this migration: the user is the fourth field of aiogram's key "fsm:bot:chat:user:…".
UPDATE fsm SET user_id = CAST(substr(
    substr(substr(substr(storage_key, instr(storage_key, ':') + 1),
                  instr(substr(storage_key, instr(storage_key, ':') + 1), ':') + 1),
           instr(substr(substr(storage_key, instr(storage_key, ':') + 1),
                        instr(substr(storage_key, instr(storage_key, ':') + 1), ':') + 1), ':') + 1),
    1, instr(substr(substr(substr(storage_key, instr(storage_key, ':') + 1),
                           instr(substr(storage_key, instr(storage_key, ':') + 1), ':') + 1),
                    instr(substr(substr(storage_key, instr(storage_key, ':') + 1),
                                 instr(substr(storage_key, instr(storage_key, ':') + 1), ':') + 1), ':') + 1), ':')
          - 1) AS INTEGER)
WHERE user_id IS NULL;

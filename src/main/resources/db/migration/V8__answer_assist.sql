-- Answer assist: the knowledge-base entry an agent's reply started from, when the agent took a suggestion.
ALTER TABLE messages ADD COLUMN kb_entry_id VARCHAR(64);

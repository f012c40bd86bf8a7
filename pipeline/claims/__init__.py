"""Claims: what each source says, one implementation per engine (offline rules, or a language model)."""

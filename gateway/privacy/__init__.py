"""Privacy transforms: pseudonyms, generalisation and disclosure control (pure; no database)."""

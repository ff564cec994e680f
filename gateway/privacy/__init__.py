"""Privacy transforms (pure; no database): pseudonyms.Pseudonymiser, generalise, disclosure.protect."""

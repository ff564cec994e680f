"""The attendance store: reference data, the code table, rollups and their maintenance."""

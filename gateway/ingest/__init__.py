"""Lossless ingest of the aggregator feed (schools, rosters, register marks) into the store."""

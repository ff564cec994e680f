"""Realistic synthetic attendance data: schools, rosters and daily registers in the aggregator feed format."""

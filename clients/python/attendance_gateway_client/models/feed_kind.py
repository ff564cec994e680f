from typing import Literal

FeedKind = Literal["marks", "roster", "schools"]

FEED_KIND_VALUES: set[FeedKind] = {
    "marks",
    "roster",
    "schools",
}


def check_feed_kind(value: str) -> FeedKind:
    if value in FEED_KIND_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {FEED_KIND_VALUES!r}")

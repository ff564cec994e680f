from typing import Literal

TableFormat = Literal["csv", "json", "parquet"]

TABLE_FORMAT_VALUES: set[TableFormat] = {
    "csv",
    "json",
    "parquet",
}


def check_table_format(value: str) -> TableFormat:
    if value in TABLE_FORMAT_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {TABLE_FORMAT_VALUES!r}")

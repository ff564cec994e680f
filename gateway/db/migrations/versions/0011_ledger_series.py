"""The release ledger records how each cell was published, so one series may mix routes.

The summary publishes a school's pupils perturbed by their cell key; the daily series and the closures
publish the same pupils rounded only. Since series are named by what a cell counts, not by the route
(gateway.privacy.releases.series_area), one series holds both, and the differencing check must read each
release with the publication that made it: `scheme` is `Publication.scheme` (threshold, zeros, rounding
base, p-table). Rows recorded before it are read with the checking route's own publication.

Revision ID: 0011_ledger_series
Revises: 0010_ingest_speed
"""

from alembic import op

revision = "0011_ledger_series"
down_revision = "0010_ingest_speed"
branch_labels = None
depends_on = None


def upgrade(app_role: str = "gateway_app") -> None:
    del app_role  # the app role's INSERT and SELECT on release_ledger cover the new column
    op.execute("ALTER TABLE release_ledger ADD COLUMN scheme text")


def downgrade(app_role: str = "gateway_app") -> None:
    del app_role
    op.execute("ALTER TABLE release_ledger DROP COLUMN scheme")

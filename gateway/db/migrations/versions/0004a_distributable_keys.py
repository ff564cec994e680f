"""Distributable keys: every unique key of a large table includes its distribution column (docs/scale-out.md).

Marks are keyed (date, enrolment_id, session, la_code), so a day's batch appends at the right edge of its
partition's index; the school-day rollup is keyed by the integer pupil group; pupils' UPNs are unique
through a lookup table of their own, since pupils are distributed by pupil_id.

Revision ID: 0004a_distributable_keys
Revises: 0004_term_cells
"""

from alembic import op

revision = "0004a_distributable_keys"
down_revision = "0004_term_cells"
branch_labels = None
depends_on = None


def upgrade(app_role: str = "gateway_app") -> None:
    op.execute(
        f"""
        ALTER TABLE marks DROP CONSTRAINT marks_pkey;
        ALTER TABLE marks ADD PRIMARY KEY (date, enrolment_id, session, la_code);

        ALTER TABLE enrolments DROP CONSTRAINT enrolments_urn_pupil_id_key;
        ALTER TABLE enrolments ADD CONSTRAINT enrolments_school_pupil UNIQUE (la_code, urn, pupil_id);
        ALTER TABLE enrolments DROP CONSTRAINT enrolments_pkey;
        ALTER TABLE enrolments ADD PRIMARY KEY (la_code, enrolment_id);
        CREATE INDEX enrolments_id ON enrolments (enrolment_id);

        ALTER TABLE enrolment_week DROP CONSTRAINT enrolment_week_pkey;
        ALTER TABLE enrolment_week ADD PRIMARY KEY (la_code, enrolment_id, week_start);

        ALTER TABLE school_day_group ADD COLUMN gid smallint;
        UPDATE school_day_group d SET gid = g.gid FROM pupil_groups g
        WHERE (g.year_group, g.fsm, g.sen_provision, g.sex, g.ethnicity_major)
              = (d.year_group, d.fsm, d.sen_provision, d.sex, d.ethnicity_major);
        ALTER TABLE school_day_group ALTER COLUMN gid SET NOT NULL;
        ALTER TABLE school_day_group DROP CONSTRAINT school_day_group_pkey;
        ALTER TABLE school_day_group ADD PRIMARY KEY (la_code, urn, date, gid);

        -- One pupil per UPN, enforced where the UPN is the key (pupils are distributed by pupil_id).
        CREATE TABLE pupil_upns (
            upn       char(13) PRIMARY KEY,
            pupil_id  bigint NOT NULL
        );
        INSERT INTO pupil_upns SELECT upn, pupil_id FROM pupils;
        ALTER TABLE pupils DROP CONSTRAINT pupils_upn_key;
        CREATE INDEX pupils_upn ON pupils (upn);
        GRANT SELECT, INSERT, UPDATE ON pupil_upns TO {app_role};
        GRANT USAGE ON SEQUENCE pupils_pupil_id_seq TO {app_role};
        """
    )


def downgrade(app_role: str = "gateway_app") -> None:
    op.execute(
        """
        DROP INDEX IF EXISTS pupils_upn;
        ALTER TABLE pupils ADD CONSTRAINT pupils_upn_key UNIQUE (upn);
        DROP TABLE IF EXISTS pupil_upns;
        ALTER TABLE school_day_group DROP CONSTRAINT school_day_group_pkey;
        ALTER TABLE school_day_group ADD PRIMARY KEY (urn, date, year_group, fsm, sen_provision, sex, ethnicity_major);
        ALTER TABLE school_day_group DROP COLUMN gid;
        ALTER TABLE enrolment_week DROP CONSTRAINT enrolment_week_pkey;
        ALTER TABLE enrolment_week ADD PRIMARY KEY (enrolment_id, week_start);
        DROP INDEX IF EXISTS enrolments_id;
        ALTER TABLE enrolments DROP CONSTRAINT enrolments_pkey;
        ALTER TABLE enrolments ADD PRIMARY KEY (enrolment_id);
        ALTER TABLE enrolments DROP CONSTRAINT enrolments_school_pupil;
        ALTER TABLE enrolments ADD CONSTRAINT enrolments_urn_pupil_id_key UNIQUE (urn, pupil_id);
        ALTER TABLE marks DROP CONSTRAINT marks_pkey;
        ALTER TABLE marks ADD PRIMARY KEY (enrolment_id, date, session);
        """
    )

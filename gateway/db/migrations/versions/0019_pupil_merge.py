"""Retiring a pupil recorded twice: the one narrow way the application role may delete a pupil.

DfE data management merges a pupil recorded under two UPNs (a temporary UPN replaced by a permanent one) into
the surviving record (gateway/store/pupil_merge.py). The application moves the old pupil's enrolments and
marks itself; what is left of the old pupil it cannot delete (it holds no DELETE on marks, enrolments, pupils
or pupil_upns), so this SECURITY DEFINER function does, given only (old pupil id, surviving pupil id). It
refuses unless what it deletes is redundant: every enrolment the old pupil still has is at a school where the
surviving pupil is enrolled, every mark left on it is one the surviving enrolment holds identically (same
day, session and code), and no rollup row of it is left. Then it deletes those marks and enrolments, the old
pupil's UPN rows and the pupil row, and returns how many duplicate marks it deleted.

Revision ID: 0019_pupil_merge
Revises: 0018_enrolment_week_cumulative
"""

from alembic import op

revision = "0019_pupil_merge"
down_revision = "0018_enrolment_week_cumulative"
branch_labels = None
depends_on = None


def upgrade(app_role: str = "gateway_app") -> None:
    op.execute(
        f"""
        CREATE FUNCTION retire_merged_pupil(old_pupil bigint, surviving_pupil bigint) RETURNS integer
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
        DECLARE
            dropped integer;
        BEGIN
            IF old_pupil IS NULL OR surviving_pupil IS NULL OR old_pupil = surviving_pupil THEN
                RAISE EXCEPTION 'retire_merged_pupil: two different pupils are required';
            END IF;
            PERFORM 1 FROM public.pupils WHERE pupil_id IN (old_pupil, surviving_pupil) FOR UPDATE;
            IF (SELECT count(*) FROM public.pupils WHERE pupil_id IN (old_pupil, surviving_pupil)) <> 2 THEN
                RAISE EXCEPTION 'retire_merged_pupil: no such pupil';
            END IF;
            CREATE TEMP TABLE retired_enrolments ON COMMIT DROP AS
                SELECT o.la_code, o.enrolment_id AS old_id, s.enrolment_id AS new_id
                FROM public.enrolments o
                LEFT JOIN public.enrolments s
                       ON s.pupil_id = surviving_pupil AND s.la_code = o.la_code AND s.urn = o.urn
                WHERE o.pupil_id = old_pupil;
            IF EXISTS (SELECT 1 FROM retired_enrolments WHERE new_id IS NULL) THEN
                RAISE EXCEPTION 'retire_merged_pupil: the old pupil still has enrolments of its own';
            END IF;
            IF EXISTS (
                SELECT 1 FROM retired_enrolments r JOIN public.marks m ON m.enrolment_id = r.old_id
                WHERE NOT EXISTS (
                    SELECT 1 FROM public.marks t
                    WHERE t.enrolment_id = r.new_id AND t.date = m.date AND t.session = m.session
                      AND t.la_code = m.la_code AND t.code = m.code)
            ) THEN
                RAISE EXCEPTION 'retire_merged_pupil: the old pupil still has marks of its own';
            END IF;
            IF EXISTS (SELECT 1 FROM retired_enrolments r JOIN public.enrolment_week w
                       ON w.la_code = r.la_code AND w.enrolment_id = r.old_id)
               OR EXISTS (SELECT 1 FROM retired_enrolments r JOIN public.enrolment_term t
                          ON t.enrolment_id = r.old_id)
               OR EXISTS (SELECT 1 FROM retired_enrolments r JOIN public.enrolment_week_cumulative c
                          ON c.la_code = r.la_code AND c.enrolment_id = r.old_id) THEN
                RAISE EXCEPTION 'retire_merged_pupil: the old enrolments still have rollup rows';
            END IF;
            DELETE FROM public.marks m USING retired_enrolments r
            WHERE m.enrolment_id = r.old_id AND m.la_code = r.la_code;
            GET DIAGNOSTICS dropped = ROW_COUNT;
            DELETE FROM public.enrolments e USING retired_enrolments r
            WHERE e.la_code = r.la_code AND e.enrolment_id = r.old_id;
            DELETE FROM public.pupil_upns WHERE pupil_id = old_pupil;
            DELETE FROM public.pupils WHERE pupil_id = old_pupil;
            DROP TABLE retired_enrolments;
            RETURN dropped;
        END $$;
        REVOKE ALL ON FUNCTION retire_merged_pupil(bigint, bigint) FROM PUBLIC;
        GRANT EXECUTE ON FUNCTION retire_merged_pupil(bigint, bigint) TO {app_role};
        """
    )


def downgrade(app_role: str = "gateway_app") -> None:
    del app_role
    op.execute("DROP FUNCTION IF EXISTS retire_merged_pupil(bigint, bigint)")

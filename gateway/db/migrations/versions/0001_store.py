"""The attendance store: reference data, pupils, enrolments, marks (partitioned), rollups, ingest records.

Revision ID: 0001_store
Revises: 0000_roles
"""

from alembic import op


revision = "0001_store"
down_revision = "0000_roles"
branch_labels = None
depends_on = None

STORE_TABLES = (
    "local_authorities", "schools", "attendance_codes", "pupils", "enrolments", "marks",
    "school_day_group", "enrolment_week", "ingest_batches", "ingest_rejects",
)


def upgrade(app_role: str = "gateway_app") -> None:
    op.execute(
        """
        CREATE TABLE local_authorities (
            la_code     smallint PRIMARY KEY CHECK (la_code BETWEEN 200 AND 999),
            name        text NOT NULL,
            region      text NOT NULL
        );

        CREATE TABLE schools (
            urn         integer PRIMARY KEY CHECK (urn BETWEEN 100000 AND 999999),
            name        text NOT NULL,
            la_code     smallint NOT NULL REFERENCES local_authorities,
            estab_number smallint NOT NULL CHECK (estab_number BETWEEN 1000 AND 9999),
            phase       text NOT NULL CHECK (phase IN ('primary', 'secondary', 'special')),
            school_type text NOT NULL,
            UNIQUE (la_code, estab_number)
        );
        CREATE INDEX schools_la ON schools (la_code, phase);

        -- The code table is versioned by date: a code is valid on d when valid_from <= d < valid_to.
        CREATE TABLE attendance_codes (
            code        text NOT NULL,
            valid_from  date NOT NULL,
            valid_to    date,
            category    text NOT NULL CHECK (category IN ('P', 'AEA', 'AUTH', 'UNAUTH', 'NC')),
            ordinal     smallint NOT NULL,  -- position in the rollups' per-code count arrays (1-based)
            meaning     text NOT NULL,
            PRIMARY KEY (code, valid_from),
            CHECK (valid_to IS NULL OR valid_to > valid_from)
        );

        CREATE TABLE pupils (
            pupil_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            upn             char(13) NOT NULL UNIQUE,
            forename        text NOT NULL,
            surname         text NOT NULL,
            date_of_birth   date NOT NULL,
            sex             char(1) NOT NULL CHECK (sex IN ('F', 'M')),
            ethnicity       text NOT NULL,          -- DfE minor code, e.g. WBRI
            ethnicity_major text NOT NULL,          -- White, Mixed, Asian, Black, Chinese, Other, Unclassified
            recorded_at     timestamptz NOT NULL    -- of the roster row that last set these fields
        );

        CREATE TABLE enrolments (
            enrolment_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            pupil_id        bigint NOT NULL REFERENCES pupils,
            urn             integer NOT NULL REFERENCES schools,
            la_code         smallint NOT NULL,      -- distribution key
            year_group      smallint NOT NULL CHECK (year_group BETWEEN 0 AND 14),  -- 0 = reception
            fsm             boolean NOT NULL,
            sen_provision   char(1) NOT NULL CHECK (sen_provision IN ('N', 'K', 'E')),  -- none, SEN support, EHC plan
            looked_after    boolean NOT NULL,
            previously_looked_after boolean NOT NULL,
            child_in_need   boolean NOT NULL,
            child_protection_plan boolean NOT NULL,
            admission_date  date NOT NULL,
            leaving_date    date,
            record_key      smallint NOT NULL CHECK (record_key BETWEEN 0 AND 255),  -- cell-key perturbation
            recorded_at     timestamptz NOT NULL,
            UNIQUE (urn, pupil_id)
        );
        CREATE INDEX enrolments_la ON enrolments (la_code, urn);
        CREATE INDEX enrolments_pupil ON enrolments (pupil_id);

        -- One mark per enrolment, day and session; the newest recorded_at wins.
        CREATE TABLE marks (
            enrolment_id bigint NOT NULL,
            date         date NOT NULL,
            session      smallint NOT NULL CHECK (session IN (0, 1)),  -- 0 = AM, 1 = PM
            la_code      smallint NOT NULL,  -- distribution key
            urn          integer NOT NULL,
            code         text NOT NULL,
            recorded_at  timestamptz NOT NULL,
            batch_id     bigint NOT NULL,
            PRIMARY KEY (enrolment_id, date, session)
        ) PARTITION BY RANGE (date);

        -- Per school, day and pupil group: session counts by category and by code.
        CREATE TABLE school_day_group (
            urn             integer NOT NULL,
            date            date NOT NULL,
            year_group      smallint NOT NULL,
            fsm             boolean NOT NULL,
            sen_provision   char(1) NOT NULL,
            sex             char(1) NOT NULL,
            ethnicity_major text NOT NULL,
            la_code         smallint NOT NULL,  -- distribution key
            pupils          integer NOT NULL,   -- enrolments with at least one mark that day
            possible        integer NOT NULL,
            present         integer NOT NULL,
            aea             integer NOT NULL,
            authorised      integer NOT NULL,
            unauthorised    integer NOT NULL,
            not_counted     integer NOT NULL,
            code_counts     integer[] NOT NULL,  -- indexed by attendance_codes.ordinal
            PRIMARY KEY (urn, date, year_group, fsm, sen_provision, sex, ethnicity_major)
        ) WITH (fillfactor = 70);  -- room on each page for corrections' updates to stay HOT
        CREATE INDEX school_day_group_la_date ON school_day_group (la_code, date);
        CREATE INDEX school_day_group_date ON school_day_group (date);

        -- Per enrolment and school week (week_start is the Monday): persistent and severe absence
        -- and rolling unauthorised counts come from here, never from raw marks.
        CREATE TABLE enrolment_week (
            enrolment_id  bigint NOT NULL,
            week_start    date NOT NULL CHECK (extract(isodow FROM week_start) = 1),
            la_code       smallint NOT NULL,  -- distribution key
            urn           integer NOT NULL,
            possible      smallint NOT NULL,
            present       smallint NOT NULL,
            aea           smallint NOT NULL,
            authorised    smallint NOT NULL,
            unauthorised  smallint NOT NULL,
            PRIMARY KEY (enrolment_id, week_start)
        ) WITH (fillfactor = 50);  -- every day's batch updates each row: room for the new version on its page
        -- (HOT, without new index entries, only while no index carries a measure column)
        CREATE INDEX enrolment_week_la_week ON enrolment_week (la_code, week_start);
        CREATE INDEX enrolment_week_urn_week ON enrolment_week (urn, week_start);

        CREATE TABLE ingest_batches (
            batch_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            feed_kind     text NOT NULL CHECK (feed_kind IN ('schools', 'roster', 'marks')),
            source_name   text NOT NULL,
            content_sha256 text NOT NULL,
            started_at    timestamptz NOT NULL DEFAULT now(),
            finished_at   timestamptz,
            accepted      integer NOT NULL DEFAULT 0,
            updated       integer NOT NULL DEFAULT 0,
            unchanged     integer NOT NULL DEFAULT 0,
            rejected      integer NOT NULL DEFAULT 0
        );

        -- Rows that failed validation, kept whole with a precise reason: nothing is dropped.
        CREATE TABLE ingest_rejects (
            batch_id    bigint NOT NULL REFERENCES ingest_batches,
            line_number integer NOT NULL,
            raw         text NOT NULL,
            reason_code text NOT NULL,
            reason      text NOT NULL,
            PRIMARY KEY (batch_id, line_number)
        );
        """
    )
    for table in STORE_TABLES:
        op.execute(f"GRANT SELECT, INSERT, UPDATE ON {table} TO {app_role}")
    op.execute(f"GRANT DELETE ON school_day_group, enrolment_week TO {app_role}")
    op.execute(
        f"""
        CREATE INDEX enrolments_urn ON enrolments (urn);
        CREATE INDEX ingest_batches_sha ON ingest_batches (content_sha256);

        -- Elementwise sum of two equal-length count arrays (rollup code_counts deltas).
        CREATE FUNCTION int_array_add(a integer[], b integer[]) RETURNS integer[]
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        RETURN ARRAY(SELECT x + y FROM unnest(a, b) WITH ORDINALITY AS t(x, y, i) ORDER BY i);

        -- The UPN check letter (UK Government Data Standards): weights 2..13 on characters 2..13,
        -- mod 23, over the alphabet without I, O and S. Used for marks that match no enrolment.
        CREATE FUNCTION upn_check_letter(upn text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        RETURN substr('ABCDEFGHJKLMNPQRTUVWXYZ0123456789', 1 + (
            SELECT sum(i * (strpos('ABCDEFGHJKLMNPQRTUVWXYZ0123456789', substr(upn, i, 1)) - 1))
            FROM generate_series(2, 13) AS i)::integer % 23, 1);

        -- Monthly partitions of marks, created on demand by ingest. SECURITY DEFINER so the
        -- application role can ingest without owning tables; it only ever creates marks_YYYY_MM.
        CREATE FUNCTION ensure_marks_partitions(first_day date, last_day date) RETURNS integer
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
        DECLARE
            month date := date_trunc('month', first_day)::date;
            created integer := 0;
            part text;
        BEGIN
            WHILE month <= last_day LOOP
                part := format('marks_%s', to_char(month, 'YYYY_MM'));
                IF to_regclass(part) IS NULL THEN
                    EXECUTE format(
                        'CREATE TABLE %I PARTITION OF marks FOR VALUES FROM (%L) TO (%L)',
                        part, month, (month + interval '1 month')::date);
                    EXECUTE format('GRANT SELECT, INSERT, UPDATE ON %I TO {app_role}', part);
                    created := created + 1;
                END IF;
                month := (month + interval '1 month')::date;
            END LOOP;
            RETURN created;
        END $$;
        REVOKE ALL ON FUNCTION ensure_marks_partitions(date, date) FROM PUBLIC;
        GRANT EXECUTE ON FUNCTION ensure_marks_partitions(date, date) TO {app_role};
        """
    )
    _seed_reference_data()


def _sql_literal(value: object) -> str:
    if value is None:
        return "NULL"
    return "'" + str(value).replace("'", "''") + "'"


def _seed_reference_data() -> None:
    las = ",\n".join(
        f"({code}, {_sql_literal(name)}, {_sql_literal(region)})" for code, name, region in SEED_LOCAL_AUTHORITIES
    )
    op.execute(f"INSERT INTO local_authorities (la_code, name, region) VALUES {las}")
    codes = ",\n".join(
        f"({_sql_literal(code)}, {_sql_literal(valid_from)}, {_sql_literal(valid_to)}, "
        f"{_sql_literal(category)}, {ordinal}, {_sql_literal(meaning)})"
        for code, valid_from, valid_to, category, ordinal, meaning in SEED_ATTENDANCE_CODES
    )
    op.execute(
        "INSERT INTO attendance_codes (code, valid_from, valid_to, category, ordinal, meaning) "
        f"VALUES {codes}"
    )


# The reference data as this revision seeded it, frozen here: a migration must never import live data (a
# later change to gateway/store/codes.py or the LA list would silently change what this revision did).
# Later changes to either are new migrations.
SEED_LOCAL_AUTHORITIES: tuple[tuple[int, str, str], ...] = (
    (840, 'County Durham', 'North East'), (841, 'Darlington', 'North East'), (390, 'Gateshead', 'North East'),
    (805, 'Hartlepool', 'North East'), (806, 'Middlesbrough', 'North East'), (391, 'Newcastle upon Tyne', 'North East'),
    (392, 'North Tyneside', 'North East'), (929, 'Northumberland', 'North East'), (807, 'Redcar and Cleveland', 'North East'),
    (393, 'South Tyneside', 'North East'), (808, 'Stockton-on-Tees', 'North East'), (394, 'Sunderland', 'North East'),
    (889, 'Blackburn with Darwen', 'North West'), (890, 'Blackpool', 'North West'), (350, 'Bolton', 'North West'),
    (351, 'Bury', 'North West'), (895, 'Cheshire East', 'North West'), (896, 'Cheshire West and Chester', 'North West'),
    (942, 'Cumberland', 'North West'), (876, 'Halton', 'North West'), (340, 'Knowsley', 'North West'),
    (888, 'Lancashire', 'North West'), (341, 'Liverpool', 'North West'), (352, 'Manchester', 'North West'),
    (353, 'Oldham', 'North West'), (354, 'Rochdale', 'North West'), (355, 'Salford', 'North West'),
    (343, 'Sefton', 'North West'), (342, 'St. Helens', 'North West'), (356, 'Stockport', 'North West'),
    (357, 'Tameside', 'North West'), (358, 'Trafford', 'North West'), (877, 'Warrington', 'North West'),
    (943, 'Westmorland and Furness', 'North West'), (359, 'Wigan', 'North West'), (344, 'Wirral', 'North West'),
    (370, 'Barnsley', 'Yorkshire and The Humber'), (380, 'Bradford', 'Yorkshire and The Humber'), (381, 'Calderdale', 'Yorkshire and The Humber'),
    (371, 'Doncaster', 'Yorkshire and The Humber'), (811, 'East Riding of Yorkshire', 'Yorkshire and The Humber'), (810, 'Kingston upon Hull, City of', 'Yorkshire and The Humber'),
    (382, 'Kirklees', 'Yorkshire and The Humber'), (383, 'Leeds', 'Yorkshire and The Humber'), (812, 'North East Lincolnshire', 'Yorkshire and The Humber'),
    (813, 'North Lincolnshire', 'Yorkshire and The Humber'), (815, 'North Yorkshire', 'Yorkshire and The Humber'), (372, 'Rotherham', 'Yorkshire and The Humber'),
    (373, 'Sheffield', 'Yorkshire and The Humber'), (384, 'Wakefield', 'Yorkshire and The Humber'), (816, 'York', 'Yorkshire and The Humber'),
    (831, 'Derby', 'East Midlands'), (830, 'Derbyshire', 'East Midlands'), (856, 'Leicester', 'East Midlands'),
    (855, 'Leicestershire', 'East Midlands'), (925, 'Lincolnshire', 'East Midlands'), (940, 'North Northamptonshire', 'East Midlands'),
    (892, 'Nottingham', 'East Midlands'), (891, 'Nottinghamshire', 'East Midlands'), (857, 'Rutland', 'East Midlands'),
    (941, 'West Northamptonshire', 'East Midlands'), (330, 'Birmingham', 'West Midlands'), (331, 'Coventry', 'West Midlands'),
    (332, 'Dudley', 'West Midlands'), (884, 'Herefordshire, County of', 'West Midlands'), (333, 'Sandwell', 'West Midlands'),
    (893, 'Shropshire', 'West Midlands'), (334, 'Solihull', 'West Midlands'), (860, 'Staffordshire', 'West Midlands'),
    (861, 'Stoke-on-Trent', 'West Midlands'), (894, 'Telford and Wrekin', 'West Midlands'), (335, 'Walsall', 'West Midlands'),
    (937, 'Warwickshire', 'West Midlands'), (336, 'Wolverhampton', 'West Midlands'), (885, 'Worcestershire', 'West Midlands'),
    (822, 'Bedford', 'East of England'), (873, 'Cambridgeshire', 'East of England'), (823, 'Central Bedfordshire', 'East of England'),
    (881, 'Essex', 'East of England'), (919, 'Hertfordshire', 'East of England'), (821, 'Luton', 'East of England'),
    (926, 'Norfolk', 'East of England'), (874, 'Peterborough', 'East of England'), (882, 'Southend-on-Sea', 'East of England'),
    (935, 'Suffolk', 'East of England'), (883, 'Thurrock', 'East of England'), (301, 'Barking and Dagenham', 'London'),
    (302, 'Barnet', 'London'), (303, 'Bexley', 'London'), (304, 'Brent', 'London'),
    (305, 'Bromley', 'London'), (202, 'Camden', 'London'), (201, 'City of London', 'London'),
    (306, 'Croydon', 'London'), (307, 'Ealing', 'London'), (308, 'Enfield', 'London'),
    (203, 'Greenwich', 'London'), (204, 'Hackney', 'London'), (205, 'Hammersmith and Fulham', 'London'),
    (309, 'Haringey', 'London'), (310, 'Harrow', 'London'), (311, 'Havering', 'London'),
    (312, 'Hillingdon', 'London'), (313, 'Hounslow', 'London'), (206, 'Islington', 'London'),
    (207, 'Kensington and Chelsea', 'London'), (314, 'Kingston upon Thames', 'London'), (208, 'Lambeth', 'London'),
    (209, 'Lewisham', 'London'), (315, 'Merton', 'London'), (316, 'Newham', 'London'),
    (317, 'Redbridge', 'London'), (318, 'Richmond upon Thames', 'London'), (210, 'Southwark', 'London'),
    (319, 'Sutton', 'London'), (211, 'Tower Hamlets', 'London'), (320, 'Waltham Forest', 'London'),
    (212, 'Wandsworth', 'London'), (213, 'Westminster', 'London'), (867, 'Bracknell Forest', 'South East'),
    (846, 'Brighton and Hove', 'South East'), (825, 'Buckinghamshire', 'South East'), (845, 'East Sussex', 'South East'),
    (850, 'Hampshire', 'South East'), (921, 'Isle of Wight', 'South East'), (886, 'Kent', 'South East'),
    (887, 'Medway', 'South East'), (826, 'Milton Keynes', 'South East'), (931, 'Oxfordshire', 'South East'),
    (851, 'Portsmouth', 'South East'), (870, 'Reading', 'South East'), (871, 'Slough', 'South East'),
    (852, 'Southampton', 'South East'), (936, 'Surrey', 'South East'), (869, 'West Berkshire', 'South East'),
    (938, 'West Sussex', 'South East'), (868, 'Windsor and Maidenhead', 'South East'), (872, 'Wokingham', 'South East'),
    (800, 'Bath and North East Somerset', 'South West'), (839, 'Bournemouth, Christchurch and Poole', 'South West'), (801, 'Bristol, City of', 'South West'),
    (908, 'Cornwall', 'South West'), (878, 'Devon', 'South West'), (838, 'Dorset', 'South West'),
    (916, 'Gloucestershire', 'South West'), (420, 'Isles of Scilly', 'South West'), (802, 'North Somerset', 'South West'),
    (879, 'Plymouth', 'South West'), (933, 'Somerset', 'South West'), (803, 'South Gloucestershire', 'South West'),
    (866, 'Swindon', 'South West'), (880, 'Torbay', 'South West'), (865, 'Wiltshire', 'South West'),
)
SEED_ATTENDANCE_CODES: tuple[tuple[str, str, str | None, str, int, str], ...] = (
    ('/', '2006-09-01', '2024-08-19', 'P', 1, 'present at morning registration'),
    ('\\', '2006-09-01', '2024-08-19', 'P', 2, 'present at afternoon registration'),
    ('L', '2006-09-01', '2024-08-19', 'P', 3, 'late, before registers closed'),
    ('B', '2006-09-01', '2024-08-19', 'AEA', 8, 'educated off site (not dual registration)'),
    ('J', '2006-09-01', '2024-08-19', 'AEA', 36, 'at interview with prospective employers or another educational establishment'),
    ('P', '2006-09-01', '2024-08-19', 'AEA', 6, 'participating in a supervised sporting activity'),
    ('V', '2006-09-01', '2024-08-19', 'AEA', 5, 'educational visit or trip'),
    ('W', '2006-09-01', '2024-08-19', 'AEA', 7, 'work experience'),
    ('C', '2006-09-01', '2024-08-19', 'AUTH', 14, 'other authorised circumstances'),
    ('E', '2006-09-01', '2024-08-19', 'AUTH', 18, 'excluded, no alternative provision made'),
    ('H', '2006-09-01', '2024-08-19', 'AUTH', 35, 'holiday authorised by the school'),
    ('I', '2006-09-01', '2024-08-19', 'AUTH', 17, 'illness (not medical or dental appointment)'),
    ('M', '2006-09-01', '2024-08-19', 'AUTH', 10, 'medical or dental appointment'),
    ('R', '2006-09-01', '2024-08-19', 'AUTH', 16, 'religious observance'),
    ('S', '2006-09-01', '2024-08-19', 'AUTH', 12, 'study leave'),
    ('T', '2006-09-01', '2024-08-19', 'AUTH', 15, 'Traveller absence'),
    ('G', '2006-09-01', '2024-08-19', 'UNAUTH', 19, 'holiday not authorised by the school'),
    ('N', '2006-09-01', '2024-08-19', 'UNAUTH', 20, 'no reason yet provided for absence'),
    ('O', '2006-09-01', '2024-08-19', 'UNAUTH', 21, 'unauthorised absence not covered by any other code'),
    ('U', '2006-09-01', '2024-08-19', 'UNAUTH', 22, 'arrived after registers closed'),
    ('D', '2006-09-01', '2024-08-19', 'NC', 23, 'dual registered, at another establishment'),
    ('X', '2006-09-01', '2024-08-19', 'NC', 24, 'non-compulsory school age absence; in 2020-22 also non-attendance related to COVID-19'),
    ('Y', '2006-09-01', '2024-08-19', 'NC', 37, 'unable to attend due to exceptional circumstances'),
    ('Z', '2006-09-01', '2024-08-19', 'NC', 33, 'pupil not on admission register'),
    ('#', '2006-09-01', '2024-08-19', 'NC', 34, 'planned whole-school closure'),
    ('/', '2024-08-19', None, 'P', 1, 'present at morning registration'),
    ('\\', '2024-08-19', None, 'P', 2, 'present at afternoon registration'),
    ('L', '2024-08-19', None, 'P', 3, 'late, arrived before the register closed'),
    ('K', '2024-08-19', None, 'AEA', 4, 'attending education provision arranged by the local authority'),
    ('V', '2024-08-19', None, 'AEA', 5, 'attending an educational visit or trip'),
    ('P', '2024-08-19', None, 'AEA', 6, 'participating in an approved sporting activity'),
    ('W', '2024-08-19', None, 'AEA', 7, 'attending work experience'),
    ('B', '2024-08-19', None, 'AEA', 8, 'attending any other approved educational activity'),
    ('C1', '2024-08-19', None, 'AUTH', 9, 'leave of absence: regulated performance or employment abroad'),
    ('M', '2024-08-19', None, 'AUTH', 10, 'leave of absence: medical or dental appointment'),
    ('J1', '2024-08-19', None, 'AUTH', 11, 'leave of absence: interview'),
    ('S', '2024-08-19', None, 'AUTH', 12, 'leave of absence: study leave'),
    ('C2', '2024-08-19', None, 'AUTH', 13, 'leave of absence: temporary reduced (part-time) timetable'),
    ('C', '2024-08-19', None, 'AUTH', 14, 'leave of absence: exceptional circumstances'),
    ('T', '2024-08-19', None, 'AUTH', 15, 'parent travelling for occupational purposes'),
    ('R', '2024-08-19', None, 'AUTH', 16, 'religious observance'),
    ('I', '2024-08-19', None, 'AUTH', 17, 'illness (not medical or dental appointment)'),
    ('E', '2024-08-19', None, 'AUTH', 18, 'suspended or permanently excluded, no alternative provision made'),
    ('G', '2024-08-19', None, 'UNAUTH', 19, 'holiday not granted by the school'),
    ('N', '2024-08-19', None, 'UNAUTH', 20, 'reason for absence not yet established'),
    ('O', '2024-08-19', None, 'UNAUTH', 21, 'absent in other or unknown circumstances'),
    ('U', '2024-08-19', None, 'UNAUTH', 22, 'arrived in school after the register closed'),
    ('D', '2024-08-19', None, 'NC', 23, 'dual registered, attending the other school'),
    ('X', '2024-08-19', None, 'NC', 24, 'non-compulsory school age pupil not required to attend'),
    ('Q', '2024-08-19', None, 'NC', 25, 'unable to attend: lack of access arrangements'),
    ('Y1', '2024-08-19', None, 'NC', 26, 'unable to attend: transport not available'),
    ('Y2', '2024-08-19', None, 'NC', 27, 'unable to attend: widespread travel disruption'),
    ('Y3', '2024-08-19', None, 'NC', 28, 'unable to attend: part of the school premises closed'),
    ('Y4', '2024-08-19', None, 'NC', 29, 'unable to attend: whole school site unexpectedly closed'),
    ('Y5', '2024-08-19', None, 'NC', 30, 'unable to attend: in criminal justice detention'),
    ('Y6', '2024-08-19', None, 'NC', 31, 'unable to attend: public health guidance or law'),
    ('Y7', '2024-08-19', None, 'NC', 32, 'unable to attend: any other unavoidable cause'),
    ('Z', '2024-08-19', None, 'NC', 33, 'prospective pupil not yet on roll'),
    ('#', '2024-08-19', None, 'NC', 34, 'planned whole-school closure'),
)


def downgrade(app_role: str = "gateway_app") -> None:
    op.execute("DROP FUNCTION IF EXISTS ensure_marks_partitions(date, date)")
    op.execute("DROP FUNCTION IF EXISTS int_array_add(integer[], integer[])")
    op.execute("DROP FUNCTION IF EXISTS upn_check_letter(text)")
    for table in reversed(STORE_TABLES):
        op.execute(f"DROP TABLE IF EXISTS {table} CASCADE")

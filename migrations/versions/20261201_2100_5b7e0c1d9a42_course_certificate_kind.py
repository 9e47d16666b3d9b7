"""courses.certificate_kind: a training or a competency certificate

Existing courses keep the competency certificate only where it is true: a course whose
published version (else its latest version) has units and every unit is covered by a
published, required assessment (a practical covers every unit of the course; a theory test
the units of its bank's questions; draw rules are not read here) stays "competency";
every other course becomes "training", so no certificate issued from now on says "judged
Competent" without an assessment.

Revision ID: 5b7e0c1d9a42
Revises: d3816fb53d64
Create Date: 2026-12-01 21:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = "5b7e0c1d9a42"
down_revision = "d3816fb53d64"
branch_labels = None
depends_on = None

# The version whose units count: the published one, else the newest.
_VERSION = """
    SELECT v.id FROM course_versions v WHERE v.course_id = courses.id
    ORDER BY (v.status = 'published') DESC, v.number DESC LIMIT 1
"""
_ASSESSMENT = """
    a.course_id = courses.id AND a.required AND a.published
    AND (a.module_id IS NULL OR a.module_id IN (
        SELECT m.id FROM course_modules m WHERE m.version_id = ({version})))
""".format(version=_VERSION)
_COVERED = f"""
    EXISTS (SELECT 1 FROM assessments a WHERE {_ASSESSMENT} AND a.kind = 'practical')
    OR EXISTS (
        SELECT 1 FROM assessments a
        JOIN assessment_questions q ON q.bank_id = a.bank_id
        JOIN assessment_question_units qu ON qu.question_id = q.id
        WHERE {_ASSESSMENT} AND a.kind = 'theory' AND qu.unit_id = cvu.unit_id
    )
"""
_COMPETENCY = f"""
    UPDATE courses SET certificate_kind = 'competency'
    WHERE EXISTS (SELECT 1 FROM course_version_units cvu WHERE cvu.version_id = ({_VERSION}))
    AND NOT EXISTS (
        SELECT 1 FROM course_version_units cvu
        WHERE cvu.version_id = ({_VERSION}) AND NOT ({_COVERED})
    )
"""


def upgrade():
    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "certificate_kind", sa.String(length=12), nullable=False, server_default="training"
            )
        )
    op.execute(_COMPETENCY)
    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.alter_column("certificate_kind", server_default=None)
        batch_op.create_check_constraint(
            "certificate_kind_known", "certificate_kind IN ('training', 'competency')"
        )


def downgrade():
    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.drop_constraint("ck_courses_certificate_kind_known", type_="check")
        batch_op.drop_column("certificate_kind")

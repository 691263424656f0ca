"""History: sites, audits and their verdicts, batches, alert state; validators for conditional requests.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sites",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.Text, nullable=False, unique=True),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("framework", sa.Text),
        sa.Column("scope", sa.Text),
        sa.Column("grp", sa.Text),
        sa.Column("created", sa.Float, nullable=False),
    )
    op.add_column("runs", sa.Column("site_id", sa.Integer))
    op.add_column("documents", sa.Column("etag", sa.Text))
    op.add_column("documents", sa.Column("last_modified", sa.Text))
    op.add_column("documents", sa.Column("revalidated", sa.Integer, nullable=False, server_default="0"))
    op.create_table(
        "audits",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id")),
        sa.Column("framework", sa.Text, nullable=False),
        sa.Column("fiscal_year", sa.Integer, nullable=False),
        sa.Column("as_of", sa.Text, nullable=False),
        sa.Column("oit", sa.Float, nullable=False),
        sa.Column("band", sa.Text),
        sa.Column("complete", sa.Integer, nullable=False),
        sa.Column("created", sa.Float, nullable=False),
        sa.Column("result", sa.Text, nullable=False),
    )
    op.create_index("audits_site", "audits", ["site_id"])
    op.create_index("audits_run", "audits", ["run_id"])
    op.create_table(
        "verdicts",
        sa.Column("audit_id", sa.Integer, sa.ForeignKey("audits.id"), primary_key=True),
        sa.Column("item", sa.Text, primary_key=True),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("weight", sa.Float, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("missing", sa.Text, nullable=False),
    )
    op.create_table(
        "batches",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("fingerprint", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("started", sa.Float, nullable=False),
        sa.Column("finished", sa.Float),
        sa.Column("options", sa.Text),
    )
    op.create_table(
        "batch_sites",
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("batches.id"), primary_key=True),
        sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id"), primary_key=True),
        sa.Column("row", sa.Integer, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("run_id", sa.Integer),
        sa.Column("audit_id", sa.Integer),
        sa.Column("error", sa.Text),
        sa.Column("started", sa.Float),
        sa.Column("finished", sa.Float),
    )
    op.create_table(
        "alert_state",
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("updated", sa.Float, nullable=False),
    )


def downgrade() -> None:
    for table in ("alert_state", "batch_sites", "batches", "verdicts", "audits"):
        op.drop_table(table)
    with op.batch_alter_table("documents") as batch:
        for column in ("revalidated", "last_modified", "etag"):
            batch.drop_column(column)
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("site_id")
    op.drop_table("sites")

"""The evidence store as oitcheck 0.1 wrote it (schema version 2): runs, contents, documents, skipped.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("meta", sa.Column("key", sa.Text, primary_key=True), sa.Column("value", sa.Text))
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("start_url", sa.Text, nullable=False),
        sa.Column("scope", sa.Text, nullable=False),
        sa.Column("started", sa.Float, nullable=False),
        sa.Column("finished", sa.Float),
        sa.Column("settings", sa.Text),
        sa.Column("stats", sa.Text),
    )
    op.create_table(
        "contents",
        sa.Column("sha256", sa.Text, primary_key=True),
        *(sa.Column(name, sa.Text) for name in ("kind", "title", "headings", "text")),
        sa.Column("pages", sa.Integer),
        *(sa.Column(name, sa.Text) for name in ("method", "error")),
        sa.Column("has_form", sa.Integer),
        sa.Column("images", sa.Integer),
        *(sa.Column(name, sa.Text) for name in ("published", "links", "source")),
        sa.Column("ocr_pages", sa.Integer),
        sa.Column("ocr_confidence", sa.Float),
        sa.Column("notes", sa.Text),
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("final_url", sa.Text),
        sa.Column("status", sa.Integer),
        sa.Column("content_type", sa.Text),
        sa.Column("size", sa.Integer),
        sa.Column("sha256", sa.Text, sa.ForeignKey("contents.sha256")),
        sa.Column("depth", sa.Integer),
        sa.Column("offsite", sa.Integer, nullable=False, server_default="0"),
        sa.Column("referer", sa.Text),
        sa.Column("error", sa.Text),
        sa.Column("fetched_at", sa.Float),
        sa.Column("dates", sa.Text),
        sa.UniqueConstraint("run_id", "url"),
    )
    op.create_index("documents_run", "documents", ["run_id"])
    op.create_table(
        "skipped",
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("referer", sa.Text),
    )


def downgrade() -> None:
    for table in ("skipped", "documents", "contents", "runs", "meta"):
        op.drop_table(table)

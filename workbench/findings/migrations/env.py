"""Alembic environment of the findings store.

The store passes an open connection (inside its transaction) in
``config.attributes["connection"]``; migrations run on it, so a failed
migration rolls back with everything else.  See ``workbench.findings.migrate``.
"""

from alembic import context

from workbench.findings.model import metadata

context.configure(connection=context.config.attributes["connection"], target_metadata=metadata)
with context.begin_transaction():
    context.run_migrations()

"""flask commands: migrate, demo data, create an admin, run a job worker and the scheduler."""

from __future__ import annotations

import click
from flask import Flask, current_app

from portal.config import ROOT


def alembic_config(url: str):
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    cfg.attributes["database_url"] = url
    return cfg


def migrate_to_head(url: str) -> None:
    from alembic import command

    command.upgrade(alembic_config(url), "head")


def register_cli(app: Flask) -> None:
    @app.cli.command("migrate")
    def migrate():
        """Bring the database schema up to date."""
        migrate_to_head(current_app.config["DATABASE_URL"])
        click.echo("Database is up to date.")

    @app.cli.command("demo-data")
    def demo_data():
        """Load the demo service (idempotent: running it twice changes nothing)."""
        from portal.demo import load_demo_data

        created = load_demo_data()
        click.echo("Demo data loaded." if created else "Demo data already present.")

    @app.cli.command("create-admin")
    @click.option("--email", required=True)
    @click.option("--name", required=True)
    def create_admin(email: str, name: str):
        """Invite the first admin: prints a single-use link to set a password."""
        from portal.admin.services import invite_first_admin

        link = invite_first_admin(email, name)
        click.echo(f"Invitation link (valid for {current_app.config['INVITATION_DAYS']} days):\n{link}")

    @app.cli.command("reconcile-files")
    @click.option("--delete-orphans", is_flag=True, help="Delete stored objects that no row claims.")
    def reconcile_files(delete_orphans: bool):
        """Prove every stored object has its row and every ready row has its objects."""
        from portal.core.uploads import reconcile, storage

        report = reconcile()
        for name, keys in report.items():
            click.echo(f"{name}: {len(keys)}")
            for key in keys[:50]:
                click.echo(f"  {key}")
        if delete_orphans:
            for key in report["orphaned_objects"]:
                storage().delete(key)
            click.echo(f"Deleted {len(report['orphaned_objects'])} orphaned objects.")
        if report["missing_objects"] or (report["orphaned_objects"] and not delete_orphans):
            raise SystemExit(1)

    @app.cli.command("restore-files")
    def restore_files():
        """After a database restore: bring back, from the bucket's earlier versions, every object a ready file needs."""
        from portal.core.uploads import reconcile, storage

        restored, lost = [], []
        for key in reconcile()["missing_objects"]:
            (restored if storage().restore(key) else lost).append(key)
        click.echo(f"restored: {len(restored)}")
        click.echo(f"still_missing: {len(lost)}")
        for key in lost[:50]:
            click.echo(f"  {key}")
        if lost:
            raise SystemExit(1)

    @app.cli.command("worker")
    @click.option("--workers", default=2, show_default=True)
    def worker(workers: int):
        """Run a job worker (any number may run, on any machine, against the same Redis).

        Periodic jobs are queued by `flask scheduler`, never here, so adding workers never runs them twice."""
        from huey.consumer import Consumer

        import portal.jobs_registry  # noqa: F401  (imports every module that declares jobs)
        from portal.core.jobs import huey

        Consumer(huey, workers=workers, worker_type="thread", periodic=False).run()

    @app.cli.command("scheduler")
    def scheduler():
        """Queue the periodic jobs and sweep uploads a killed worker left behind. Run exactly one."""
        import signal
        import threading

        import portal.jobs_registry  # noqa: F401  (declares every periodic job)
        from portal.core.scheduler import run_scheduler

        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        run_scheduler(current_app._get_current_object(), stop)

"""Command-line tools: tokens for local development, demo and synthetic data."""

from __future__ import annotations

import time

import click
from flask import Flask, current_app

from auth import STAFF_PERMISSIONS
from devtools.demo_data import load_demo_data
from devtools.local_issuer import LocalIssuer
from devtools.synthetic_data import seed_database


def _local_issuer() -> LocalIssuer:
    issuer = current_app.extensions.get("local_issuer")
    if issuer is None:
        raise click.ClickException("Tokens come from Auth0 when AUTH0_DOMAIN is set.")
    return issuer


def register(app: Flask) -> None:
    @app.cli.command("token")
    @click.argument("role", type=click.Choice(sorted(STAFF_PERMISSIONS)))
    @click.option(
        "--hours",
        default=12,
        show_default=True,
        type=click.IntRange(min=1),
        help="How long it is valid.",
    )
    def token(role: str, hours: int) -> None:
        """Print a local-mode access token for a staff role."""
        # The service refuses tokens that live longer than this: never print one.
        longest = current_app.config["JWT_MAX_LIFETIME_SECONDS"] // 3600
        if hours > longest:
            raise click.BadParameter(
                f"at most {longest} (JWT_MAX_LIFETIME_SECONDS), or the token is refused.",
                param_hint="--hours",
            )
        permissions = list(STAFF_PERMISSIONS[role])
        click.echo(_local_issuer().mint(permissions, f"local|{role}", hours * 3600))

    @app.cli.command("demo-data")
    def demo_data() -> None:
        """Load demo movies, actors, roles and submissions into an empty database."""
        loaded = load_demo_data()
        click.echo("Demo data loaded." if loaded else "Database not empty; demo data skipped.")

    @app.cli.command("seed")
    @click.option("--actors", default=100_000, show_default=True, type=click.IntRange(min=0))
    @click.option("--movies", default=10_000, show_default=True, type=click.IntRange(min=0))
    @click.option("--roles", default=50_000, show_default=True, type=click.IntRange(min=0))
    @click.option(
        "--submissions-per-role",
        default=5,
        show_default=True,
        type=click.IntRange(min=0, max=100),
        help="On average, per open role; each cast role also gets its booking.",
    )
    @click.option(
        "--seed", "seed_value", default=1, show_default=True, help="Same seed, same data."
    )
    def seed(
        actors: int, movies: int, roles: int, submissions_per_role: int, seed_value: int
    ) -> None:
        """Fill the database with synthetic movies, actors, roles and submissions."""
        if roles and not movies:
            raise click.BadParameter("roles need at least one movie", param_hint="--movies")
        started = time.perf_counter()
        # Roles count twice: once inserted, once given their submissions.
        with click.progressbar(length=actors + movies + 2 * roles, label="Seeding") as bar:
            submissions = seed_database(
                actors, movies, roles, seed_value, bar.update, submissions_per_role
            )
        elapsed = time.perf_counter() - started
        click.echo(
            f"Added {movies} movies, {actors} actors, {roles} roles, "
            f"{submissions} submissions in {elapsed:.1f} s."
        )

    @app.cli.command("tokens")
    @click.option("--port", default=5000, show_default=True)
    def tokens(port: int) -> None:
        """Print a ready token for every staff role and a curl line to try."""
        issuer = _local_issuer()
        for role, permissions in STAFF_PERMISSIONS.items():
            token = issuer.mint(list(permissions), f"local|{role}", 12 * 3600)
            click.echo(f"\n{role.upper()}_TOKEN={token}")
        click.echo(
            "\nTry it (valid for 12 hours):\n"
            f"  export TOKEN=<one of the tokens above>\n"
            f'  curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:{port}/actors\n'
        )

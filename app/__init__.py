"""The application factory."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from config import Config, ProductionConfig, config_from_env


def _sqlite_recipe(engine: Engine) -> None:
    """Let pysqlite run real transactions and savepoints, and enforce foreign keys."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:  # noqa: ANN401 - DBAPI objects
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        # Readers never block the writer (a bulk-issuance worker beside web requests).
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN")


def create_app(config_class: type[Config] | None = None) -> Flask:
    config_class = config_class or config_from_env()
    if issubclass(config_class, ProductionConfig):
        config_class.check()
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(config_class)
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY is not set")
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    hops = app.config["TRUSTED_PROXY_HOPS"]
    if hops < 0:
        raise RuntimeError("TRUSTED_PROXY_HOPS must be 0 or more")
    if hops:
        # Only then is X-Forwarded-* believed: request.remote_addr, which the rate limits and
        # the audit log use, becomes the address the trusted proxy saw.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    from app import (
        models,  # noqa: F401  (every model registered before anything uses them)
        transactions,
    )
    from app.api import api
    from app.errors import register_error_handlers
    from app.extensions import babel, csrf, db, limiter, migrate
    from app.i18n import babel_settings
    from app.security import init_security

    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            _sqlite_recipe(db.engine)
    migrate.init_app(
        app,
        db,
        directory=str(Path(app.root_path).parent / "migrations"),
        render_as_batch=True,
        compare_type=True,
    )
    csrf.init_app(app)
    babel.init_app(app, **babel_settings(app))
    limiter.init_app(app)
    _init_login(app)
    api.init_app(app)
    _install_guards(app)
    _register_blueprints(app)
    _register_audit_and_ops(app)
    register_error_handlers(app)
    init_security(app)
    _register_template_helpers(app)
    _register_cli(app)
    _register_seed_steps(app)
    transactions.init_app(app)  # last, so that it ends the transaction before other hooks run
    return app


def _init_login(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from app.api import set_token_loader
    from app.auth.services import load_session_user, user_for_token
    from app.extensions import login_manager

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_session_user)
    set_token_loader(app, user_for_token)


def _register_blueprints(app: Flask) -> None:
    from app.api import api
    from app.assessments import cli as _assessments_cli  # noqa: F401  (its command)
    from app.assessments.api import assessments_api, attempts_api
    from app.assessments.routes import bp as assessments_bp
    from app.assessments.services import hooks as _assessments_hooks  # noqa: F401  (registers)
    from app.auth.api import blp as auth_api
    from app.auth.routes import bp as auth_bp
    from app.certificates.registration import register as register_certificates
    from app.courses.api import courses_api, learning_api, units_api
    from app.courses.routes import bp as courses_bp
    from app.extensions import csrf
    from app.institutions.routes import bp as institutions_bp
    from app.main.routes import bp as main_bp
    from app.placement.api import blp as placement_api
    from app.placement.cli import register as register_placement_cli
    from app.placement.routes import bp as placement_bp
    from app.placement.routes import survey_bp

    for blueprint in (
        main_bp,
        auth_bp,
        institutions_bp,
        courses_bp,
        assessments_bp,
        placement_bp,
        survey_bp,
    ):
        app.register_blueprint(blueprint)
    for api_blueprint in (
        auth_api,
        courses_api,
        learning_api,
        units_api,
        assessments_api,
        attempts_api,
        placement_api,
    ):
        csrf.exempt(api_blueprint)  # bearer tokens only, never the session cookie
        api.register_blueprint(api_blueprint)
    register_placement_cli(app)
    register_certificates(app)  # its pages, JSON API, VC-API + Authlib, harfbuzz warning


def _install_guards(app: Flask) -> None:
    from app.ops.guards import install

    install(app)


def _register_audit_and_ops(app: Flask) -> None:
    from app.api import api
    from app.audit.api import blp as audit_api
    from app.audit.routes import bp as audit_bp
    from app.extensions import csrf

    app.register_blueprint(audit_bp)
    csrf.exempt(audit_api)
    api.register_blueprint(audit_api)

    from app.ops.cli import register as register_ops_cli

    register_ops_cli(app)


def _register_template_helpers(app: Flask) -> None:
    from flask_babel import format_datetime, get_locale

    from app.nav import visible_items

    @app.context_processor
    def inject() -> dict:
        return {
            "current_locale": str(get_locale() or "id"),
            "nav_items": visible_items,
        }

    app.jinja_env.filters["datetime"] = format_datetime


def _register_seed_steps(app: Flask) -> None:
    """The demo data of each feature, in the order they build on each other."""
    from app.assessments.seed import seed_assessments
    from app.certificates.seed import seed_certificates
    from app.courses.seed import seed_courses
    from app.placement.seed import seed_placement
    from app.seed import register_step

    for step in (seed_courses, seed_assessments, seed_certificates, seed_placement):
        register_step(app, step)


def _register_cli(app: Flask) -> None:
    from app.cli import register

    register(app)

"""Settings for the live results system.

Everything that differs between a laptop and a deployment comes from the environment. The defaults are the
embedded setup: SQLite beside the code and the in-memory channel layer, no external service at all.

- ``DATABASE_URL``: e.g. ``postgres://user@127.0.0.1:5432/skating`` (default: ``sqlite:///db.sqlite3``).
- ``REDIS_URL``: e.g. ``redis://127.0.0.1:6379/0`` selects channels-redis so several Daphne processes share pushes.
- ``SECRET_KEY``, ``DEBUG`` (``1``/``0``), ``ALLOWED_HOSTS`` (comma separated).
- ``SNAPSHOT_POLL_SECONDS``: how often a server process checks the database for races changed by another process.
- ``HEARTBEAT_SECONDS``: how often every socket hears that its link is alive.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import django_stubs_ext

# Lets the admin and form classes take the type parameters that django-stubs gives them (ModelAdmin[Race]) at run
# time too: Django's own classes are not subscriptable.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_flag("DEBUG", True)
# The fallback key is only good for a laptop; a deployment sets SECRET_KEY (docs/deploy.md).
SECRET_KEY = os.environ.get("SECRET_KEY", "insecure-local-development-key-do-not-deploy")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "results",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # frame-ancestors 'none' on every page but the broadcasters' (results/framing.py, EMBED_ALLOWED_ORIGINS).
    "results.framing.FramingPolicyMiddleware",
    # Serves /static/ from Daphne itself: from the app folders while DEBUG, from collectstatic's output otherwise.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
# No page may be framed (the default, said here because it matters), but views marked @embeddable.
X_FRAME_OPTIONS = "DENY"

ROOT_URLCONF = "skating.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

ASGI_APPLICATION = "skating.asgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=0,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the server read while a replay or a second official writes from another process; IMMEDIATE
    # takes the write lock at BEGIN so two writers queue instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # A file, not memory, so test servers started in other processes see the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test-db.sqlite3")}

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Broadcasters' origins, e.g. "https://tv.example,https://federation.example": only these (and this site) may frame
# the embeds and overlays and open the public sockets from a web page. Empty: anyone may (docs/broadcasters.md).
EMBED_ALLOWED_ORIGINS = env_list("EMBED_ALLOWED_ORIGINS", "")

SNAPSHOT_POLL_SECONDS = float(os.environ.get("SNAPSHOT_POLL_SECONDS", "0.3"))
# Every socket gets a heartbeat this often, so a client can tell a quiet race from a dead link (docs/feed.md).
HEARTBEAT_SECONDS = float(os.environ.get("HEARTBEAT_SECONDS", "15"))
# A socket whose client stopped reading for this long is dropped (it reconnects and catches up when it can).
SLOW_CLIENT_SECONDS = float(os.environ.get("SLOW_CLIENT_SECONDS", "30"))
# Spectators send nothing; anything longer than this closes their socket (Daphne's own limits come first in
# production: --websocket-max-message-size, docs/deploy.md).
MAX_CLIENT_MESSAGE_BYTES = int(os.environ.get("MAX_CLIENT_MESSAGE_BYTES", "1024"))
# Open sockets allowed per client address and server process; 0 means no limit (one venue's Wi-Fi may put
# thousands of spectators behind one address: set it with that in mind, docs/deploy.md).
MAX_SOCKETS_PER_IP = int(os.environ.get("MAX_SOCKETS_PER_IP", "0"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"results": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")}},
}

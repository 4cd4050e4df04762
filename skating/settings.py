"""Settings for the live results system.

Everything that differs between a laptop and a deployment comes from the environment. The defaults are the
embedded setup: SQLite beside the code and the in-memory channel layer, no external service at all.

- ``DATABASE_URL``: e.g. ``postgres://user@127.0.0.1:5432/skating`` (default: ``sqlite:///db.sqlite3``).
- ``REDIS_URL``: e.g. ``redis://127.0.0.1:6379/0`` selects channels-redis so several Daphne processes share pushes.
- ``SECRET_KEY``, ``DEBUG`` (``1``/``0``), ``ALLOWED_HOSTS`` (comma separated).
- ``SNAPSHOT_POLL_SECONDS``: how often a server process checks the database for races changed by another process.
- ``HEARTBEAT_SECONDS``: how often every socket hears that its link is alive.
- ``PUSH_SERVICES``, ``PUSH_CONTACT``, ``VAPID_PRIVATE_KEY``, ``VAPID_KEY_FILE``, ``PUSH_SUBSCRIBE_RATE``: Web Push to
  followed skaters' fans (docs/feed.md).
- Production (``DEBUG=0``, behind nginx): ``CSRF_TRUSTED_ORIGINS``, ``BEHIND_PROXY``, ``SECURE_SSL_REDIRECT``,
  ``SECURE_HSTS_SECONDS``, ``SECURE_HSTS_INCLUDE_SUBDOMAINS``, ``SECURE_HSTS_PRELOAD``, ``STATIC_ROOT``,
  ``STATIC_MANIFEST``, ``LOG_LEVEL``, ``LOG_FILE``. Every variable, with the values of a deployment:
  deploy/skating.env.example and docs/deploy.md.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

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


# Off unless set: a forgotten variable on a server must not serve debug pages. `make` sets DEBUG=1 on a laptop.
DEBUG = env_flag("DEBUG", False)
# The fallback key is only good for a laptop: anyone who reads this file could sign a session with it. A deployment
# (DEBUG=0) refuses to start without a key of its own.
DEVELOPMENT_SECRET_KEY = "insecure-local-development-key-do-not-deploy"
SECRET_KEY_MISSING = (
    "SECRET_KEY is not set. With DEBUG off (0, or not set) this is a deployment, and the development key would let "
    "anyone forge sessions and CSRF tokens. Put a key of 50 random characters or more in the environment, e.g. "
    "SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))') (deploy/skating.env.example), "
    "or set DEBUG=1 on a laptop (make does)."
)
SECRET_KEY_TOO_SHORT = (
    "SECRET_KEY has {length} characters: with DEBUG=0 it needs 50 random characters or more, e.g. "
    "SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))') (deploy/skating.env.example)."
)
SECRET_KEY_LENGTH = 50
SECRET_KEY = os.environ.get("SECRET_KEY", "").strip() or DEVELOPMENT_SECRET_KEY
if not DEBUG and SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    raise ImproperlyConfigured(SECRET_KEY_MISSING)
if not DEBUG and len(SECRET_KEY) < SECRET_KEY_LENGTH:
    raise ImproperlyConfigured(SECRET_KEY_TOO_SHORT.format(length=len(SECRET_KEY)))
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
# Origins (scheme and host) that may post forms besides the site itself, e.g. "https://results.example.org" when
# the officials' admin is reached under another name than the one nginx passes on.
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

# --- production: HTTPS ends at nginx, which passes requests to Daphne on 127.0.0.1 (docs/deploy.md) ---------------
# Only the proxy can reach Daphne, so its X-Forwarded-Proto tells whether the spectator used HTTPS (and `serve`
# gives Daphne --proxy-headers, so X-Forwarded-For is the spectator's address, for MAX_SOCKETS_PER_IP).
BEHIND_PROXY = env_flag("BEHIND_PROXY", not DEBUG)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", not DEBUG)
# A load balancer or monitor may ask Daphne directly over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Once a browser has seen this header it uses HTTPS only for that long: start low (300) on a new host, then a year.
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
# Subdomains of the results host (not its siblings); preload only says the owner agrees to the browsers' list.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_flag("SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
# Links to broadcasters' and federations' sites tell them the origin only, never a page of the admin.
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    # Only for its makemessages, which also finds the public pages' scripts' t("...") (docs/spectators.md).
    "skating",
    # Failed logins and lockouts (django-axes): see AXES_* below.
    "axes",
    "results",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The Content-Security-Policy of every response (CONTENT_SECURITY_POLICY below; django-csp).
    "csp.middleware.CSPMiddleware",
    # Serves /static/ from Daphne itself: from the app folders while DEBUG, from collectstatic's output otherwise.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The page's language: the switch's choice (a cookie), else the browser's (Accept-Language), else English.
    # Django's LocaleMiddleware, with Norwegian as browsers name it (no, nn) taken as Bokmål (nb).
    "results.web.languages.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Turns a login refused for too many failures into the page that says so (last, as django-axes asks).
    "axes.middleware.AxesMiddleware",
]
# No page may be framed (the default, said here because it matters), but views marked @embeddable.
X_FRAME_OPTIONS = "DENY"
# A second wall behind the escaping of every page: the browser runs scripts, and applies style sheets, fonts and
# images, only from this site, never from the page itself (no inline <script>, no on* attributes, no javascript:
# URLs). Style attributes are allowed (a board's --scale, a scoreboard's --rows); <style> elements are not. Sockets
# and fetches go to this site only; forms post to it only. frame-ancestors 'none' everywhere but the broadcasters'
# pages, which @embeddable replaces with EMBED_ALLOWED_ORIGINS (results/web/framing.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    }
}

ROOT_URLCONF = "skating.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                # LANGUAGES as settings name them (each in its own name), for the header's language switch.
                "django.template.context_processors.i18n",
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
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Each server process reads the versions of the races it follows every SNAPSHOT_POLL_SECONDS, and Django closes
    # its connection after every use under ASGI: a pool per process keeps those reads from opening a PostgreSQL
    # connection (a process fork on the server) each time. Django's recommended way under ASGI.
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": int(os.environ.get("DB_POOL_MAX_SIZE", "8")),
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

# The cache: the public push API's counts per address (django-ratelimit) must be shared by every server process, so
# Redis where configured; in the embedded setup, the one process's memory.
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Web Push (docs/feed.md, "Push notifications"; the sender is `manage.py push_worker`). The push services this
# server sends to, by origin (a wildcard host allowed): the browsers' own. A subscription elsewhere is refused, so a
# stranger cannot make the server send requests to an address they chose. Plain http only for this machine (tests).
PUSH_SERVICES = env_list(
    "PUSH_SERVICES",
    "https://fcm.googleapis.com,https://android.googleapis.com,https://updates.push.services.mozilla.com,"
    "https://web.push.apple.com,https://*.notify.windows.com",
)
for _origin in PUSH_SERVICES:
    if not (_origin.startswith("https://") or _origin.startswith(("http://127.0.0.1:", "http://localhost:"))):
        raise ImproperlyConfigured(f"PUSH_SERVICES: {_origin} is neither https nor on this machine.")
# Who push services may write to about this server's pushes (RFC 8292's "sub" claim).
PUSH_CONTACT = os.environ.get("PUSH_CONTACT", "mailto:results@example.org")
# The VAPID key that signs every push: PEM or base64url DER; else a file created on first use (keep it).
VAPID_PRIVATE_KEY = os.environ.get("VAPID_PRIVATE_KEY", "")
VAPID_KEY_FILE = os.environ.get("VAPID_KEY_FILE", str(BASE_DIR / "vapid-private.pem"))
# Subscriptions (and changes to them) a client address may make per minute.
PUSH_SUBSCRIBE_RATE = os.environ.get("PUSH_SUBSCRIBE_RATE", "20/m")

# Broadcasters' origins, e.g. "https://tv.example,https://federation.example": only these (and this site) may frame
# the embeds and overlays and open the public sockets from a web page. Empty: anyone may (docs/broadcasters.md).
EMBED_ALLOWED_ORIGINS = env_list("EMBED_ALLOWED_ORIGINS", "")

SNAPSHOT_POLL_SECONDS = float(os.environ.get("SNAPSHOT_POLL_SECONDS", "0.3"))
# Every socket gets a heartbeat this often, so a client can tell a quiet race from a dead link (docs/feed.md).
HEARTBEAT_SECONDS = float(os.environ.get("HEARTBEAT_SECONDS", "15"))
# A socket whose client stopped reading for this long is dropped (it reconnects and catches up when it can).
SLOW_CLIENT_SECONDS = float(os.environ.get("SLOW_CLIENT_SECONDS", "30"))
# The kernel send buffer of each spectator's socket: room for many snapshots, and a bound on what a client that
# stopped reading can hold (Linux would otherwise grow it to megabytes).
SPECTATOR_SEND_BUFFER_BYTES = int(os.environ.get("SPECTATOR_SEND_BUFFER_BYTES", "131072"))
# Spectators send nothing; anything longer than this closes their socket (Daphne's own limits come first in
# production: --websocket-max-message-size, docs/deploy.md).
MAX_CLIENT_MESSAGE_BYTES = int(os.environ.get("MAX_CLIENT_MESSAGE_BYTES", "1024"))
# Open sockets allowed per client address and server process; 0 means no limit (one venue's Wi-Fi may put
# thousands of spectators behind one address: set it with that in mind, docs/deploy.md).
MAX_SOCKETS_PER_IP = int(os.environ.get("MAX_SOCKETS_PER_IP", "0"))

# The garbage collector's thresholds in each server process (skating/asgi.py). Python's default (700, 10, 10) makes
# a process holding thousands of sockets run a full collection every half minute or so, a 0.4-0.9 s pause of every
# socket; with (50000, 20, 100) none ran in two minutes of one change a second to 5,000 sockets (docs/performance.md).
GC_THRESHOLDS = tuple(int(n) for n in env_list("GC_THRESHOLDS", "50000,20,100"))

# --- logins: the admin guards the official record, so guessing a password is made slow (django-axes) ---------------
# The backend first refuses any login for an account that failed AXES_FAILURE_LIMIT times in a row from one address;
# the lock lasts LOGIN_LOCKOUT_MINUTES, or until a chief official lifts it (docs/deploy.md, "Locked out"):
#   python manage.py axes_reset_username <username>    python manage.py axes_reset_ip <address>
# Per account *and* address: a stranger elsewhere cannot lock the referee out at the venue, and nginx caps the
# tries one address may make across accounts (limit_req on /admin/login/, deploy/nginx.conf).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=float(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "results.admin.locked_out.locked_out_page"
# The address is REMOTE_ADDR: behind nginx, Daphne's --proxy-headers has already put the client's address there.
# A successful login and a logout are not news: only failures are kept (Axes' access attempts in the admin).
AXES_DISABLE_ACCESS_LOG = True
# The log names the account and the address of every failure and lockout (never a password): whoever runs the server
# must know what to unlock, and what to block.
AXES_SENSITIVE_PARAMETERS: list[str] = []

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The public pages' languages (docs/spectators.md, "Languages"), each in its own name for the header's switch;
# translations in locale/ (and the admin's in Django's own). No prefix in the addresses: the same URL in every
# language, so links and the feed never change. Norwegian is Bokmål, "nb", as Django's own translations name it.
LANGUAGES = [
    ("en", "English"),
    ("nl", "Nederlands"),
    ("de", "Deutsch"),
    ("fr", "Français"),
    ("it", "Italiano"),
    ("ja", "日本語"),
    ("ko", "한국어"),
    ("zh-hans", "中文"),
    ("nb", "Norsk"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The switch's choice is kept a year (Django's default forgets it when the browser closes).
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = not DEBUG
# The event's time zone: what officials type a race's scheduled start in, and how the admin shows times. The feed
# and the database are in UTC; spectators' pages show times in their own zone.
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Where `collectstatic` writes, and nginx (or WhiteNoise) serves /static/ from.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Production: `collectstatic` writes content-hashed, compressed copies (leaderboard.3f2a9c1b7d4e.js), with the
# imports between modules pointing at hashed names too, so a browser may cache them forever and never mixes a new
# page with an old module. Keyed on the environment, not on DEBUG alone: pytest-django turns DEBUG off after
# reading these settings, and the tests have no collectstatic output (pages would fail on the missing manifest).
STATIC_MANIFEST = env_flag("STATIC_MANIFEST", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "results.server.static_storage.ManifestStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One line per event (journald keeps it under the unit's name): Django, Daphne and the app alike. On stderr, not
# stdout: `export_results 12 > results.csv` must get the CSV only. Django's own default sends request errors
# nowhere once DEBUG is off (to ADMINS by mail, and there are none).
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
# LOG_FILE: the log is appended to that file instead (the demo's processes: `make run` keeps its terminal readable).
LOG_FILE = os.environ.get("LOG_FILE", "")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"()": "results.server.log_format.OneLineFormatter"}},
    "handlers": {
        "log": (
            {"class": "logging.FileHandler", "filename": LOG_FILE, "encoding": "utf-8", "formatter": "line"}
            if LOG_FILE
            else {"class": "logging.StreamHandler", "stream": "ext://sys.stderr", "formatter": "line"}
        )
    },
    "root": {"handlers": ["log"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        # runserver's request lines; Daphne writes its own access log, and nginx logs every request.
        "django.server": {"handlers": [], "level": "WARNING", "propagate": True},
        # Failures and lockouts are warnings; Axes' INFO lines (a cleanup after every failure) are noise.
        "axes": {"handlers": [], "level": "WARNING", "propagate": True},
        # WeasyPrint (the result lists as PDF) logs each step of every render at INFO.
        "weasyprint": {"handlers": [], "level": "WARNING", "propagate": True},
    },
}

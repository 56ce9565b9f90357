"""SIKIM settings: one file, read from the environment.

With no environment at all SIKIM runs embedded: SQLite and a SQLite task queue under ./var,
console email. DATABASE_URL and REDIS_URL switch on the scaled stack. Every variable is
listed in README.md ("Konfigurasi").
"""

import os
import secrets
from pathlib import Path

import dj_database_url

from config.env import ImproperlyConfiguredEnv, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# "development" (the default, also what `make run` uses), "production" or "test".
SIKIM_ENV = env_str("SIKIM_ENV", "development")
if SIKIM_ENV not in {"development", "production", "test"}:
    raise ImproperlyConfiguredEnv(f"SIKIM_ENV must be development, production or test, got {SIKIM_ENV!r}")
IS_PRODUCTION = SIKIM_ENV == "production"
IS_TEST = SIKIM_ENV == "test"

# Everything SIKIM writes at run time (database, queue, uploads, collected static files).
DATA_DIR = Path(env_str("SIKIM_DATA_DIR", str(BASE_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
(DATA_DIR / "static").mkdir(exist_ok=True)


def _secret_key() -> str:
    key = env_str("SIKIM_SECRET_KEY")
    if key:
        return key
    if IS_PRODUCTION:
        raise ImproperlyConfiguredEnv("SIKIM_SECRET_KEY must be set in production")
    # A laptop install needs no configuration: keep a random key in the data folder,
    # never in the code.
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("SIKIM_DEBUG", False)
ALLOWED_HOSTS = env_list("SIKIM_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("SIKIM_CSRF_TRUSTED_ORIGINS", [])
# The address people use to reach this site; used in emails and printed QR codes.
SITE_URL = env_str("SIKIM_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "axes",
    "huey.contrib.djhuey",
    "sikim.core",
    "sikim.accounts",
    "sikim.wilayah",
    "sikim.audit",
    "sikim.kim",
    "sikim.forums",
    "sikim.dissemination",
    "sikim.offices",
    "sikim.aspirations",
    "sikim.kip",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session middleware, so it sees every cookie a response sets (sikim/core/public_cache.py).
    "sikim.core.public_cache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "sikim.core.middleware.RequestContextMiddleware",
    "sikim.core.middleware.ApiJsonErrorsMiddleware",
    "sikim.core.middleware.RejectNulBytesMiddleware",
    # Axes must come last: it turns a locked-out login into a clear "too many attempts" page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'sikim.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("SIKIM_DB_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the worker read while one of them writes; IMMEDIATE
    # transactions take the write lock up front so concurrent writers queue instead of
    # failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA cache_size=-32000; PRAGMA mmap_size=268435456;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # A file, not memory, so a worker process started by a test sees the test database;
    # one per test process, so two test runs on one machine never share a file.
    (DATA_DIR / "test-databases").mkdir(exist_ok=True)
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-databases" / f"sikim-{os.getpid()}.sqlite3")}
IS_SQLITE = DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Queue and cache --------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
TASKS_IMMEDIATE = env_bool("SIKIM_TASKS_IMMEDIATE", IS_TEST)
HUEY_WORKERS = env_int("SIKIM_WORKERS", 2)
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": env_str("SIKIM_QUEUE_NAME", "sikim"),
        "url": REDIS_URL,
        "immediate": TASKS_IMMEDIATE,
        "consumer": {"workers": HUEY_WORKERS, "worker_type": "thread"},
    }
    CACHES: dict[str, dict[str, object]] = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
        # Anonymous copies of public pages (SIKIM_PUBLIC_CACHE_SECONDS), shared by every web process.
        "public_pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "public",
        },
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": env_str("SIKIM_QUEUE_NAME", "sikim"),
        "filename": env_str("SIKIM_QUEUE_FILE", str(DATA_DIR / "queue.sqlite3")),
        "immediate": TASKS_IMMEDIATE,
        "consumer": {"workers": HUEY_WORKERS, "worker_type": "thread"},
    }
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        # Anonymous copies of public pages, per web process: room for the pages people actually
        # visit (a copy is 10-40 KB; 4,000 of them at most ~100 MB per process, usually far less).
        "public_pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "sikim-public-pages",
            "OPTIONS": {"MAX_ENTRIES": 4000},
        },
    }

TASKS = {"default": {"BACKEND": "huey.contrib.djhuey.tasks_backend.HueyBackend"}}

# --- Accounts -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes counts failed logins and locks out an attacker guessing passwords.
    "axes.backends.AxesStandaloneBackend",
    "sikim.accounts.backends.EmailOrPhoneBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "core:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AXES_FAILURE_LIMIT = env_int("SIKIM_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours: a locked-out login may try again after 15 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Our login form calls the login name "username" (it is an email or a phone number).
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Behind a reverse proxy set SIKIM_BEHIND_PROXY=true so the client's address is used.
BEHIND_PROXY = env_bool("SIKIM_BEHIND_PROXY", False)
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if BEHIND_PROXY else ["REMOTE_ADDR"]

# --- Email ----------------------------------------------------------------------------
# Django 6.1's MAILERS: SMTP when SIKIM_EMAIL_HOST is set, otherwise mail is printed to the console.
EMAIL_HOST_CONFIGURED = env_str("SIKIM_EMAIL_HOST")
if EMAIL_HOST_CONFIGURED:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_HOST_CONFIGURED,
                "port": env_int("SIKIM_EMAIL_PORT", 587),
                "username": env_str("SIKIM_EMAIL_USER"),
                "password": env_str("SIKIM_EMAIL_PASSWORD"),
                "use_tls": env_bool("SIKIM_EMAIL_USE_TLS", True),
                "timeout": 20,
            },
        }
    }
elif IS_PRODUCTION:
    # Notifications and password resets are part of the service: production needs real mail.
    raise ImproperlyConfiguredEnv("SIKIM_EMAIL_HOST must be set in production")
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env_str("SIKIM_EMAIL_FROM", "SIKIM <noreply@sikim.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Map tiles: fetched by the visitor's browser, never by the server ---
SIKIM_MAP_TILE_URL = env_str("SIKIM_MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
SIKIM_MAP_TILE_ATTRIBUTION = env_str("SIKIM_MAP_TILE_ATTRIBUTION", "© OpenStreetMap contributors")

# --- Dissemination channels (a channel without credentials is switched off, with a warning) ---
SIKIM_CHANNEL_TIMEOUT = env_int("SIKIM_CHANNEL_TIMEOUT", 10)  # seconds per provider call
SIKIM_EMAIL_MAILER = env_str("SIKIM_EMAIL_MAILER", "default")  # the MAILERS alias for bulletins
SIKIM_EMAIL_RATE_PER_SECOND = env_int("SIKIM_EMAIL_RATE_PER_SECOND", 10)
SIKIM_TELEGRAM_BOT_TOKEN = env_str("SIKIM_TELEGRAM_BOT_TOKEN")
SIKIM_TELEGRAM_API_URL = env_str("SIKIM_TELEGRAM_API_URL", "https://api.telegram.org")
SIKIM_TELEGRAM_WEBHOOK_SECRET = env_str("SIKIM_TELEGRAM_WEBHOOK_SECRET")
SIKIM_TELEGRAM_BOT_USERNAME = env_str("SIKIM_TELEGRAM_BOT_USERNAME")  # for the t.me/<bot>?start= links
SIKIM_TELEGRAM_RATE_PER_SECOND = env_int("SIKIM_TELEGRAM_RATE_PER_SECOND", 25)
SIKIM_WHATSAPP_TOKEN = env_str("SIKIM_WHATSAPP_TOKEN")
SIKIM_WHATSAPP_PHONE_NUMBER_ID = env_str("SIKIM_WHATSAPP_PHONE_NUMBER_ID")
SIKIM_WHATSAPP_API_URL = env_str("SIKIM_WHATSAPP_API_URL", "https://graph.facebook.com/v21.0")
SIKIM_WHATSAPP_APP_SECRET = env_str("SIKIM_WHATSAPP_APP_SECRET")  # checks the webhook's signatures
SIKIM_WHATSAPP_VERIFY_TOKEN = env_str("SIKIM_WHATSAPP_VERIFY_TOKEN")  # the webhook's subscription handshake
# An approved template with body {{1}} title, {{2}} summary, {{3}} link.
SIKIM_WHATSAPP_TEMPLATE = env_str("SIKIM_WHATSAPP_TEMPLATE", "sikim_bulletin")
SIKIM_WHATSAPP_TEMPLATE_LANGUAGE = env_str("SIKIM_WHATSAPP_TEMPLATE_LANGUAGE", "id")
SIKIM_WHATSAPP_RATE_PER_SECOND = env_int("SIKIM_WHATSAPP_RATE_PER_SECOND", 60)
SIKIM_SMS_GATEWAY_URL = env_str("SIKIM_SMS_GATEWAY_URL")  # the full endpoint of the HTTP gateway
SIKIM_SMS_GATEWAY_TOKEN = env_str("SIKIM_SMS_GATEWAY_TOKEN")
SIKIM_SMS_SENDER_ID = env_str("SIKIM_SMS_SENDER_ID")
SIKIM_SMS_MAX_SEGMENTS = env_int("SIKIM_SMS_MAX_SEGMENTS", 3)
SIKIM_SMS_RATE_PER_SECOND = env_int("SIKIM_SMS_RATE_PER_SECOND", 50)
# Shared secret the SMS gateway sends (header X-Sikim-Token) with inbound replies and delivery reports.
SIKIM_SMS_WEBHOOK_SECRET = env_str("SIKIM_SMS_WEBHOOK_SECRET")
# Web push (VAPID). Generate a key pair once with `python manage.py vapid_keys`.
SIKIM_VAPID_PUBLIC_KEY = env_str("SIKIM_VAPID_PUBLIC_KEY")
SIKIM_VAPID_PRIVATE_KEY = env_str("SIKIM_VAPID_PRIVATE_KEY")
SIKIM_VAPID_SUBJECT = env_str("SIKIM_VAPID_SUBJECT", "mailto:admin@sikim.localhost")
SIKIM_WEBPUSH_RATE_PER_SECOND = env_int("SIKIM_WEBPUSH_RATE_PER_SECOND", 50)
SIKIM_WEBPUSH_TTL = env_int("SIKIM_WEBPUSH_TTL", 2 * 24 * 3600)  # seconds a push service keeps it for an offline device
# Push services a browser subscription may point at (host suffixes, comma-separated; "*" = any).
# Empty means the well-known services (Google, Mozilla, Microsoft, Apple) and loopback.
SIKIM_WEBPUSH_ENDPOINT_HOSTS = env_str("SIKIM_WEBPUSH_ENDPOINT_HOSTS")
# Normal bulletins wait out the night in the member's own time zone (WIB/WITA/WIT by province);
# urgent and emergency bulletins go at once. "HH:MM-HH:MM", empty to switch quiet hours off.
SIKIM_QUIET_HOURS = env_str("SIKIM_QUIET_HOURS", "21:00-06:00")
# Anonymous visitors of public pages get a cached copy this many seconds old at most (0 = off).
SIKIM_PUBLIC_CACHE_SECONDS = env_int("SIKIM_PUBLIC_CACHE_SECONDS", 60)

# --- Aspirations and information requests ----------------------------------------------
# Anonymous submissions (web form and API) allowed per client address per hour (0 = no limit).
SIKIM_ASPIRATION_ANONYMOUS_PER_HOUR = env_int("SIKIM_ASPIRATION_ANONYMOUS_PER_HOUR", 10)
# Inbound email (an MTA piping mail to `manage.py receive_email`, or POSTing it to the inbound
# webhook with this secret in the X-Sikim-Token header). Empty: the inbound webhook is closed.
SIKIM_INBOUND_EMAIL_SECRET = env_str("SIKIM_INBOUND_EMAIL_SECRET")
# Anonymous information requests (UU 14/2008) allowed per client address per hour (0 = no limit).
SIKIM_KIP_ANONYMOUS_PER_HOUR = env_int("SIKIM_KIP_ANONYMOUS_PER_HOUR", 10)

# --- Language and time ----------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if IS_TEST or DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = IS_TEST or DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760

# --- Security -------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if IS_PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SIKIM_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SIKIM_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SIKIM_HSTS_PRELOAD", True)
    if BEHIND_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if IS_TEST:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- API ------------------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 20
NINJA_PAGINATION_MAX_LIMIT = 100

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("SIKIM_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "huey": {"level": "INFO", "handlers": ["console"], "propagate": False},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},  # it logs every layout step at INFO
        "fontTools": {"level": "WARNING"},
    },
}

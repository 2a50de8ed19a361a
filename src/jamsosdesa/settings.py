"""One env-driven settings module. Every knob is an environment variable with a safe default.

DATABASE_URL picks the database (default: SQLite file under ./var/). JAMSOSDESA_DEBUG,
JAMSOSDESA_SECRET_KEY and JAMSOSDESA_ALLOWED_HOSTS are for deployments.
"""

import os
from datetime import date
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("JAMSOSDESA_VAR_DIR", Path.cwd() / "var"))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("JAMSOSDESA_DEBUG", False)
# The key signs sessions and CSRF tokens: a deployment sets JAMSOSDESA_SECRET_KEY. `jamsosdesa demo` (and
# `jamsosdesa demo-secret-key`, run first by `make demo`) stores a generated one in var/secret_key (mode 600).
# Without either the server refuses to start, unless JAMSOSDESA_DEBUG is on.
SECRET_KEY_FILE = VAR_DIR / "secret_key"
SECRET_KEY = env_str("JAMSOSDESA_SECRET_KEY") or (
    SECRET_KEY_FILE.read_text().strip() if SECRET_KEY_FILE.is_file() else "")
if not SECRET_KEY:
    if not DEBUG:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "JAMSOSDESA_SECRET_KEY belum diisi: setel ke string acak yang panjang (misalnya keluaran "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`), atau jalankan `make demo` untuk "
            f"demo, yang menyimpan kunci di {SECRET_KEY_FILE}. "
            "(JAMSOSDESA_SECRET_KEY is not set: set it to a long random string, or run `make demo`.)")
    SECRET_KEY = "insecure-development-key-only-with-jamsosdesa-debug-on-0123456789"
ALLOWED_HOSTS = env_list("JAMSOSDESA_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("JAMSOSDESA_CSRF_TRUSTED_ORIGINS", "http://127.0.0.1:8000,http://localhost:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "jamsosdesa.accounts.axes_app.AxesConfig",  # django-axes, under a translated name in the admin
    "ninja",  # its templates and static Swagger UI: the API docs load from this site, not from a CDN
    "jamsosdesa.core",
    "jamsosdesa.regions",
    "jamsosdesa.accounts",
    "jamsosdesa.participants",
    "jamsosdesa.imports",
    "jamsosdesa.contributions",
    "jamsosdesa.funding",
    "jamsosdesa.billing",
    "jamsosdesa.coverage",
    "jamsosdesa.agents",
    "jamsosdesa.claims",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside every middleware that can answer by itself (the 400 page for a NUL byte, the API's 404, the
    # lockout page, CSRF's 403): each of those answers gets `no-store` and the CSP as well (issue 11).
    "jamsosdesa.core.middleware.NoStoreMiddleware",
    "jamsosdesa.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jamsosdesa.accounts.middleware.UserLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "jamsosdesa.core.middleware.JsonApiErrorsMiddleware",
    "jamsosdesa.core.middleware.RefuseBadCharactersMiddleware",
]

ROOT_URLCONF = "jamsosdesa.urls"
WSGI_APPLICATION = "jamsosdesa.wsgi.application"

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

# --- Database -------------------------------------------------------------------------------
DEFAULT_SQLITE_PATH = VAR_DIR / "jamsosdesa.sqlite3"
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DEFAULT_SQLITE_PATH}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("JAMSOSDESA_CONN_MAX_AGE", 0))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Concurrency for the embedded default: WAL, a busy timeout and IMMEDIATE write transactions.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
DATABASES["default"]["TEST"] = {"NAME": env_str("JAMSOSDESA_TEST_DB_NAME") or None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "participants:list"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): lock a username+IP after repeated failures, and an IP that fails on
# many accounts after its own, larger number of failures (accounts.lockout).
AXES_FAILURE_LIMIT = env_int("JAMSOSDESA_LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_LIMIT_PER_ADDRESS = env_int("JAMSOSDESA_LOGIN_FAILURE_LIMIT_PER_ADDRESS", 20)
AXES_COOLOFF_TIME = env_int("JAMSOSDESA_LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "jamsosdesa.accounts.lockout.AccountAndAddressHandler"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Behind a reverse proxy every request comes from the proxy's address, and the lockout would count all users'
# failures as one address's: five wrong passwords from anywhere lock an account for its owner everywhere, twenty on
# any accounts lock everyone out. JAMSOSDESA_TRUSTED_PROXIES lists the proxies' addresses (e.g. 127.0.0.1): a
# request from one of them is counted under the address the proxy appended to X-Forwarded-For. From any other
# address the header is ignored, so a client cannot choose the address it is counted under.
TRUSTED_PROXIES = env_list("JAMSOSDESA_TRUSTED_PROXIES", "")
AXES_CLIENT_IP_CALLABLE = "jamsosdesa.accounts.lockout.client_address"

SESSION_COOKIE_HTTPONLY = True
# A session ends after this many idle minutes (each request starts the count again).
SESSION_COOKIE_AGE = env_int("JAMSOSDESA_SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
# Served over HTTPS (JAMSOSDESA_HTTPS=1, the documented production setting): secure cookies, HSTS, redirect
# plain HTTP to HTTPS. Behind a proxy that ends TLS, JAMSOSDESA_PROXY_SSL_HEADER=1 trusts X-Forwarded-Proto.
HTTPS = env_bool("JAMSOSDESA_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS or env_bool("JAMSOSDESA_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("JAMSOSDESA_HSTS_SECONDS", 365 * 24 * 3600) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("JAMSOSDESA_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("JAMSOSDESA_HSTS_PRELOAD", True)
SECURE_SSL_REDIRECT = env_bool("JAMSOSDESA_SSL_REDIRECT", HTTPS)
if env_bool("JAMSOSDESA_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- I18n: Indonesian first, English as the translation ---------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

# --- Static files (vendor assets come from npm at install time) ---------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it; files come from the finders
STATICFILES_DIRS = [BASE_DIR / "static"]
# `make demo` runs collectstatic so whitenoise can send pre-compressed files to slow phones;
# before that (tests, development) the finders serve everything uncompressed.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = not (STATIC_ROOT / "jamsosdesa" / "app.css").exists()
WHITENOISE_AUTOREFRESH = DEBUG

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# --- Background work and shared state ------------------------------------------------------
# Imports run as tasks; `jamsosdesa serve` (or `jamsosdesa db_worker`) runs them. "immediate" runs
# them inside the request, for a setup without a worker.
TASKS = {"default": {"BACKEND": {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}[env_str("JAMSOSDESA_TASKS_BACKEND", "database")]}}
# Background workers `jamsosdesa serve` starts: jobs run side by side on PostgreSQL; SQLite writes one
# transaction at a time, so a second job would only wait for the first (and could time out waiting).
JOB_WORKERS = env_int("JAMSOSDESA_WORKERS", 2 if DATABASES["default"]["ENGINE"].endswith("postgresql") else 1)
# Reports a job wrote for download (an import's laporan.xlsx lists people) are deleted this many days after the
# job ended: by `jamsosdesa serve` every few minutes, or `jamsosdesa jobs cleanup` from cron with db_worker.
JOB_REPORT_RETENTION_DAYS = env_int("JAMSOSDESA_REPORT_RETENTION_DAYS", 30)
# Progress of long jobs is shared between the worker and the web process through the cache:
# files under var/ by default, Redis when JAMSOSDESA_REDIS_URL is set.
if env_str("JAMSOSDESA_REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": env_str("JAMSOSDESA_REDIS_URL")}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": str(VAR_DIR / "cache")}}
IMPORT_MAX_UPLOAD_MB = env_int("JAMSOSDESA_IMPORT_MAX_UPLOAD_MB", 100)
# What an uploaded .xlsx may unpack to (its zip's parts together), checked before it is read (core.sheets): a
# 100,000-row sheet unpacks to about 60 MB; a larger table belongs in a CSV.
SHEET_MAX_UNPACKED_MB = env_int("JAMSOSDESA_SHEET_MAX_UNPACKED_MB", 300)
# Rows an import's report of problem rows lists at most (the first ones in the file; the counts cover them all).
IMPORT_REPORT_MAX_ROWS = env_int("JAMSOSDESA_IMPORT_REPORT_MAX_ROWS", 100_000)
# PostgreSQL bulk load for imports that add at least this many participants and this share of the table:
# indexes and foreign keys are rebuilt after the load, and the participant table is locked meanwhile.
IMPORT_BULK_MIN_ROWS = env_int("JAMSOSDESA_IMPORT_BULK_MIN_ROWS", 10_000)
IMPORT_BULK_MIN_SHARE = float(env_str("JAMSOSDESA_IMPORT_BULK_MIN_SHARE") or 0.25)
IMPORT_BULK_LOCK_TIMEOUT = env_str("JAMSOSDESA_IMPORT_BULK_LOCK_TIMEOUT") or "5s"  # else the usual path
IMPORT_BULK_MAINTENANCE_WORK_MEM = env_str("JAMSOSDESA_IMPORT_BULK_MAINTENANCE_WORK_MEM") or "512MB"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Domain settings ------------------------------------------------------------------------
# Roles that see whole NIKs in lists; everyone else sees them masked (UU 27/2022).
NIK_UNMASKED_LIST_ROLES = env_list("JAMSOSDESA_NIK_UNMASKED_LIST_ROLES", "national_admin,branch_officer")
# Whether a discount that excludes regional budgets (APBD) also excludes village budgets (APBDes): the
# regulation does not say (PP 50/2025). Default yes, so villages do not under-budget.
CONTRIBUTION_APBDES_IS_STATE_BUDGET = env_bool("JAMSOSDESA_CONTRIBUTION_APBDES_IS_STATE_BUDGET", True)

# Billing (issue 12; docs/design/ledger.md). A month's contribution falls due on BILLING_DUE_DAY of the month
# BILLING_DUE_MONTH_OFFSET months after it (0: the month itself). Defaults of the arrears policy where no
# ArrearsPolicy row says otherwise.
BILLING_DUE_DAY = env_int("JAMSOSDESA_BILLING_DUE_DAY", 15)
BILLING_DUE_MONTH_OFFSET = env_int("JAMSOSDESA_BILLING_DUE_MONTH_OFFSET", 0)
BILLING_MAX_MONTHS_AHEAD = env_int("JAMSOSDESA_BILLING_MAX_MONTHS_AHEAD", 12)
BILLING_ARREARS_MODE = os.environ.get("JAMSOSDESA_BILLING_ARREARS_MODE", "strict")
BILLING_GRACE_MONTHS = env_int("JAMSOSDESA_BILLING_GRACE_MONTHS", 3)
# The largest single payment for one person (Rp): above it an entry is refused as a typing mistake.
PAYMENT_MAX_AMOUNT = env_int("JAMSOSDESA_PAYMENT_MAX_AMOUNT", 25_000_000)
# The largest single payment of a scheme's payer (a collective invoice; a statement line not yet matched): a
# district pays for tens of thousands of people at once.
PAYMENT_MAX_PAYER_AMOUNT = env_int("JAMSOSDESA_PAYMENT_MAX_PAYER_AMOUNT", 100_000_000_000)
# The public status page: lookups per address and per NIK per hour.
STATUS_PUBLIC_RATE = env_int("JAMSOSDESA_STATUS_PUBLIC_RATE", 20)
# The public coverage pages: requests per address per hour.
COVERAGE_PUBLIC_RATE = env_int("JAMSOSDESA_COVERAGE_PUBLIC_RATE", 600)
# --- H4 prospects (issue 13 item 5): the working age of a desa's outreach list and its own denominator, in whole
# years on the day, both bounds included, with the source the pages name beside the list.
COVERAGE_WORKING_AGE_MIN = env_int("JAMSOSDESA_COVERAGE_WORKING_AGE_MIN", 15)
COVERAGE_WORKING_AGE_MAX = env_int("JAMSOSDESA_COVERAGE_WORKING_AGE_MAX", 64)
COVERAGE_WORKING_AGE_SOURCE = env_str("JAMSOSDESA_COVERAGE_WORKING_AGE_SOURCE",
                                      "BPS: penduduk usia produktif 15-64 tahun")
# --- end H4 prospects
# --- C2 claim file (issue 15): the largest document (a photo or a PDF) a claim accepts, in bytes.
CLAIM_DOCUMENT_MAX_BYTES = env_int("JAMSOSDESA_CLAIM_DOCUMENT_MAX_BYTES", 5 * 1024 * 1024)
# --- end C2 claim file
# Collective leave (cuti bersama) the claims' service clock counts out besides the public holidays of the holidays
# library: ISO dates, comma-separated (JAMSOSDESA_CLAIMS_EXTRA_DAYS_OFF=2026-12-24,2027-01-02). A date that does
# not parse stops the start, rather than every claim page later.
CLAIMS_EXTRA_DAYS_OFF = env_list("JAMSOSDESA_CLAIMS_EXTRA_DAYS_OFF", "")
for _day in CLAIMS_EXTRA_DAYS_OFF:
    try:
        date.fromisoformat(_day)
    except ValueError:
        raise SystemExit(f"JAMSOSDESA_CLAIMS_EXTRA_DAYS_OFF: '{_day}' is not a date (YYYY-MM-DD)") from None
# Kabupaten whose coverage snapshots a full refresh writes side by side on PostgreSQL (one database connection each);
# 1 writes one after the other. SQLite always writes one at a time.
COVERAGE_REFRESH_WORKERS = env_int("JAMSOSDESA_COVERAGE_REFRESH_WORKERS", 2)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("JAMSOSDESA_LOG_LEVEL", "WARNING")},
}


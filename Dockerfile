# raci-bot's Slack app: python app.py (HTTP on $PORT, or Socket Mode when SLACK_APP_TOKEN is set).
# Install steps match .ci/run: a venv, the hashed lock (requirements.lock: the app without the test extra),
# then the project itself without dependencies (a normal, non-editable install).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/app/.venv/bin:$PATH \
    PORT=3000 \
    LOG_FORMAT=json \
    DATABASE_URL=sqlite:////data/raci.db \
    MPLCONFIGDIR=/tmp/matplotlib

RUN useradd --create-home --uid 10001 raci && mkdir /data && chown raci /data

WORKDIR /app
COPY requirements.lock ./
RUN python -m venv .venv && .venv/bin/pip install -q --require-hashes -r requirements.lock
COPY pyproject.toml README.md alembic.ini app.py ./
COPY bot ./bot
COPY migrations ./migrations
COPY data ./data
RUN .venv/bin/pip install -q --no-deps .

USER raci
VOLUME ["/data"]
EXPOSE 3000

# HTTP mode only: in Socket Mode nothing listens, so override with --no-healthcheck there.
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"PORT\", \"3000\")}/healthz', timeout=2)"

CMD ["python", "app.py"]

# raci-bot's Slack app: python app.py (HTTP on $PORT, or Socket Mode when SLACK_APP_TOKEN is set).
# Install steps match .ci/run: a venv, then `pip install -e .` of the repository copied to /app.
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
COPY pyproject.toml README.md alembic.ini app.py ./
COPY bot ./bot
COPY migrations ./migrations
COPY data ./data
RUN python -m venv .venv && .venv/bin/pip install -q -e .

USER raci
VOLUME ["/data"]
EXPOSE 3000

# HTTP mode only: in Socket Mode nothing listens, so override with --no-healthcheck there.
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"PORT\", \"3000\")}/healthz', timeout=2)"

CMD ["python", "app.py"]

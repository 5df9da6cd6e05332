# syntax=docker/dockerfile:1
FROM python:3.11.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN useradd --create-home --uid 10001 bot
WORKDIR /app

# Dependencies first, so a code change does not reinstall them.
COPY pyproject.toml README.md ./
# The core dependencies and the scale-out extras (PostgreSQL, Redis): one image for both set-ups.
RUN python -c "import tomllib; p = tomllib.load(open('pyproject.toml','rb'))['project']; \
print('\n'.join(p['dependencies'] + p['optional-dependencies']['postgres'] + p['optional-dependencies']['redis']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt

COPY domain ./domain
COPY bot ./bot
COPY storage ./storage
COPY handlers ./handlers
COPY keybot ./keybot
RUN pip install --no-deps . && mkdir -p /app/data && chown bot:bot /app/data

USER bot
VOLUME ["/app/data"]
CMD ["python", "-m", "keybot"]

# The graph-identity API. `docker compose up` runs it beside Neo4j (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY pyproject.toml setup.py README.md ./
COPY graph_identity ./graph_identity
COPY cypher ./cypher
# A regular install: the wheel carries cypher/ as graph_identity._cypher (see setup.py).
RUN pip install . \
    && useradd --system --no-create-home --uid 10001 graph-identity

USER graph-identity
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"]
CMD ["graph-identity", "serve", "--host", "0.0.0.0", "--port", "8000"]

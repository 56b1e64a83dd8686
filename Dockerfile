# Backprop Playground: the app served by uvicorn as a non-root user.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    # BLAS threads capped so that workers do not fight over cores
    OPENBLAS_NUM_THREADS=1 \
    OMP_NUM_THREADS=1 \
    BACKPROP_DATA_DIR=/data

WORKDIR /srv/app
COPY pyproject.toml README.md ./
COPY app ./app
COPY static ./static
COPY templates ./templates
RUN pip install --no-cache-dir . \
    && useradd --system --uid 10001 --home-dir /srv/app playground \
    && mkdir -p /data && chown playground /data

USER 10001
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status == 200 else 1)"]
# The CLI starts uvicorn with the BACKPROP_* settings (forwarded headers only from BACKPROP_TRUSTED_PROXIES).
CMD ["backprop-playground", "--host", "0.0.0.0", "--port", "8000", "--access-log"]

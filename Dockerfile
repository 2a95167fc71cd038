# dvscreen: one image for the api, worker and beat services (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DVSCREEN_DATA_DIR=/data

WORKDIR /app
COPY pyproject.toml README.md* ./
COPY dvscreen.py ./
COPY models ./models
COPY screening ./screening
COPY workers ./workers
COPY api ./api
RUN pip install . \
    && dvscreen train --synthetic 6000 --seed 7 --output screening/artefacts/default \
    && useradd --system --home-dir /app dvscreen \
    && mkdir -p /data && chown dvscreen /data
ENV DVSCREEN_MODEL=/app/screening/artefacts/default

USER dvscreen
EXPOSE 8000
CMD ["dvscreen", "serve", "--host", "0.0.0.0", "--port", "8000", "--no-worker"]

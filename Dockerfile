# gengdi — 耕地保护和用地保障统计看板
# docker build -t gengdi . && docker run -p 8501:8501 -v gengdi-data:/data gengdi
# several processes behind nginx in one container (one per core):
#   docker run -p 8501:8501 -v gengdi-data:/data gengdi python -m gengdi serve --workers 2 --port 8501
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    GENGDI_DATA=/data

# Chinese fonts for the PDF notice (embedded into every PDF); nginx for python -m gengdi serve
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-noto-cjk nginx \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# the demo store seeds the data volume the first time it is mounted empty
RUN useradd --create-home --uid 10001 gengdi \
    && mkdir -p /data \
    && cp -r /app/data/. /data/ \
    && chown -R gengdi:gengdi /data

USER 10001
VOLUME ["/data"]
EXPOSE 8501

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).status == 200 else 1)"]

CMD ["streamlit", "run", "app.py", "--server.port=8501", "--server.address=0.0.0.0"]

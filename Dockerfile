# The gateway image: the package and its policies; configuration comes from the environment.
FROM python:3.11-slim AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /srv/gateway
COPY pyproject.toml README.md requirements.lock ./
COPY gateway ./gateway
COPY policies ./policies
# The same locked, hash-checked dependencies as `make`; the package itself goes on top without resolving.
RUN pip install --no-cache-dir --require-hashes --no-deps -r requirements.lock \
    && pip install --no-cache-dir --no-deps --no-build-isolation . && useradd --system --uid 10001 gateway && mkdir -p var && chown gateway var
USER gateway
EXPOSE 8000
HEALTHCHECK CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/health/ready').status == 200 else 1)"
CMD ["sh", "-c", "gateway db upgrade && gateway serve --host 0.0.0.0 --port 8000 --workers 2"]

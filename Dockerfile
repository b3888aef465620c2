# One image for web, worker and beat.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends npm && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY pyproject.toml ./
RUN pip install --no-cache-dir -e . 
COPY . .
RUN SECRET_KEY=build-only python manage.py collectstatic --noinput
RUN useradd --system encompass && mkdir -p /app/var && chown encompass /app/var
USER encompass
EXPOSE 8000
# gunicorn reads FORWARDED_ALLOW_IPS from the environment, as Django does (README "Configuration").
CMD ["gunicorn", "encompass.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]

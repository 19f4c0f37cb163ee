# The API in a slim image, run by gunicorn as an unprivileged user.
# CI does not build this image (no container engine runs there); see README.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    APP_ENV=production \
    PORT=8000

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
RUN useradd --create-home --uid 10001 casting
USER casting

EXPOSE 8000
# Migrate, then replace the shell with gunicorn so it receives SIGTERM directly.
CMD ["sh", "-c", "flask --app app db upgrade && exec gunicorn 'app:create_app()'"]
